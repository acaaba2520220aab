/* ctl_queue_driver.c - a stand-in for kioskctl's main, so that the queue
 * commands can be tested end to end before (and apart from) the real one:
 *
 *   ctl_queue_driver [--data-dir DIR] queue ARGS...
 */
#include "ctl.h"

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    ctl_ctx cx = {NULL, NULL};
    int i = 1;
    if (argc > 2 && strcmp(argv[1], "--data-dir") == 0) {
        cx.data_dir = argv[2];
        i = 3;
    }
    if (i >= argc || strcmp(argv[i], "queue") != 0) {
        fputs("usage: ctl_queue_driver [--data-dir DIR] queue ARGS...\n", stderr);
        return 2;
    }
    return ctl_queue_main(&cx, argc - i, argv + i);
}
