// OpenBLAS through the standard CBLAS interface (Debian: libopenblas-dev).
#include <cblas.h>
// Not in every cblas.h; OpenBLAS exports it.
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
char *openblas_get_corename(void);
