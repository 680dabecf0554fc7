// stackadvisor-load: a wrk-like HTTP/1.1 load generator (work in progress: the
// engine lands in core/loadgen next; for now only --version and --help).
#include <cstdio>
#include <cstring>

int main(int argc, char **argv)
{
    if (argc == 2 && std::strcmp(argv[1], "--version") == 0) {
        std::printf("stackadvisor-load %s\n", STACKADVISOR_VERSION);
        return 0;
    }
    std::fprintf(stderr, "stackadvisor-load: the load engine is not built yet in this revision\n");
    return 2;
}
