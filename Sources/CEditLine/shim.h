// libedit (Debian: libedit-dev): readline-compatible line editing and history.
#include <stdio.h>
#include <editline/readline.h>

// libedit keeps its settings in C globals, which Swift 6 will not touch directly
// (shared mutable state); these accessors are the only way the Swift side reaches them.
static inline void lab_rl_set_attempted_completion(rl_completion_func_t *f) { rl_attempted_completion_function = f; }
static inline void lab_rl_set_word_break_characters(char *s) { rl_completer_word_break_characters = s; }
static inline const char *lab_rl_line_buffer(void) { return rl_line_buffer; }
static inline void lab_rl_set_completion_over(int v) { rl_attempted_completion_over = v; }
static inline void lab_rl_set_append_character(int c) { rl_completion_append_character = c; }
