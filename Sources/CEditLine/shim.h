// libedit (Debian: libedit-dev): readline-compatible line editing and history.
#include <stdio.h>
#include <editline/readline.h>
