# Host unit tests: tests/host/NAME.c is built into build/host/NAME with the
# kernel sources listed in NAME-srcs, compiled with -DHOST_TEST -Iinclude.
