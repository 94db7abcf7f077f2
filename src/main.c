/* main.c - the kantel binary; everything starts in src/cli/commands.c. */
#include "cli/cli.h"

int main(int argc, char **argv) { return cli_main(argc, argv); }
