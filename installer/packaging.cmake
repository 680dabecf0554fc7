# Install rules and the Debian package (`make package`, i.e. cpack -G DEB in the
# build folder). Layout of the installed app, which sa::Paths finds next to
# <prefix>/bin with no environment variable:
#
#   <prefix>/bin/stackadvisor, stackadvisor-load
#   <prefix>/share/stackadvisor/resources/           advisor/, claims/, servers.json, icons/
#   <prefix>/share/stackadvisor/servers/go/<id>       the Go servers, static binaries
#   <prefix>/share/stackadvisor/servers/<id>/         Python and Node sources, build.sh:
#                                                     `stackadvisor servers setup` builds
#                                                     them into the user's data folder
#   <prefix>/share/stackadvisor/servers/manifest.json Go ready, the others "run setup"
#   <prefix>/share/applications, icons/hicolor, metainfo, man/man1
#
# The Go servers are taken from STACKADVISOR_SERVERS_BUILD_DIR, so servers/build.sh
# must have run first (`make package` depends on `make setup`).

include(GNUInstallDirs)

set(STACKADVISOR_APP_ID io.github.stackadvisor.StackAdvisor)
set(stackadvisor_share "${CMAKE_INSTALL_DATADIR}/stackadvisor")

install(TARGETS stackadvisor stackadvisor-load RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}")

install(DIRECTORY "${PROJECT_SOURCE_DIR}/resources/" DESTINATION "${stackadvisor_share}/resources")

# The sources servers/build.sh needs for the Python and Node families, and the
# script itself; never a venv or node_modules from this machine.
install(PROGRAMS "${PROJECT_SOURCE_DIR}/servers/build.sh" "${PROJECT_SOURCE_DIR}/servers/locust-setup.sh"
    DESTINATION "${stackadvisor_share}/servers")
install(FILES "${PROJECT_SOURCE_DIR}/servers/footprint.py" DESTINATION "${stackadvisor_share}/servers")
install(DIRECTORY
        "${PROJECT_SOURCE_DIR}/servers/python-common"
        "${PROJECT_SOURCE_DIR}/servers/python-fastapi"
        "${PROJECT_SOURCE_DIR}/servers/python-django"
        "${PROJECT_SOURCE_DIR}/servers/python-flask"
        "${PROJECT_SOURCE_DIR}/servers/node-express"
    DESTINATION "${stackadvisor_share}/servers"
    USE_SOURCE_PERMISSIONS
    PATTERN "__pycache__" EXCLUDE
    PATTERN "*.pyc" EXCLUDE
    PATTERN "venv" EXCLUDE
    PATTERN "node_modules" EXCLUDE)

# The built Go servers and the installed manifest.json, decided at install time
# (the servers are built after configuring).
install(CODE "set(STACKADVISOR_SERVERS_BUILD_DIR \"${STACKADVISOR_SERVERS_BUILD_DIR}\")
set(STACKADVISOR_CATALOG \"${PROJECT_SOURCE_DIR}/resources/servers.json\")
set(STACKADVISOR_SERVERS_DESTINATION \"\${CMAKE_INSTALL_PREFIX}/${stackadvisor_share}/servers\")
set(STACKADVISOR_STAGING_DIR \"${CMAKE_BINARY_DIR}/installer/staging\")")
install(SCRIPT "${CMAKE_CURRENT_LIST_DIR}/installservers.cmake")

# Desktop integration: menu entry, icon, software-centre metadata (not for a
# build without the desktop UI, whose binary only has the subcommands).
if(STACKADVISOR_BUILD_GUI)
    install(FILES "${CMAKE_CURRENT_LIST_DIR}/${STACKADVISOR_APP_ID}.desktop"
        DESTINATION "${CMAKE_INSTALL_DATADIR}/applications")
    install(FILES "${PROJECT_SOURCE_DIR}/resources/icons/stackadvisor.svg"
        DESTINATION "${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps"
        RENAME "${STACKADVISOR_APP_ID}.svg")
    install(FILES "${CMAKE_CURRENT_LIST_DIR}/${STACKADVISOR_APP_ID}.metainfo.xml"
        DESTINATION "${CMAKE_INSTALL_DATADIR}/metainfo")
endif()

# Man pages generated from --help and --version, so they never drift from the code.
find_program(STACKADVISOR_HELP2MAN help2man)
if(STACKADVISOR_HELP2MAN)
    set(man_dir "${CMAKE_BINARY_DIR}/installer/man")
    set(man_pages)
    foreach(program stackadvisor stackadvisor-load)
        if(program STREQUAL "stackadvisor")
            set(what "Go or Python for your web backend, from your needs and from benchmarks")
        else()
            set(what "HTTP/1.1 load generator of Stack Advisor")
        endif()
        add_custom_command(OUTPUT "${man_dir}/${program}.1.gz"
            COMMAND "${CMAKE_COMMAND}" -E make_directory "${man_dir}"
            COMMAND "${CMAKE_COMMAND}" -E env QT_QPA_PLATFORM=offscreen
                    "${STACKADVISOR_HELP2MAN}" --no-info --no-discard-stderr --section 1
                    --name "${what}" --include "${CMAKE_CURRENT_LIST_DIR}/${program}.h2m"
                    --output "${man_dir}/${program}.1" "$<TARGET_FILE:${program}>"
            COMMAND gzip -9nf "${man_dir}/${program}.1"
            DEPENDS ${program} "${CMAKE_CURRENT_LIST_DIR}/${program}.h2m"
            COMMENT "Generating the man page of ${program} with help2man"
            VERBATIM)
        list(APPEND man_pages "${man_dir}/${program}.1.gz")
    endforeach()
    add_custom_target(manpages ALL DEPENDS ${man_pages})
    install(FILES ${man_pages} DESTINATION "${CMAKE_INSTALL_MANDIR}/man1")
else()
    message(WARNING "help2man not found: the package will have no man pages "
                    "(install it with installer/deps.sh or apt install help2man)")
endif()

# ------------------------------------------------------------------ CPack
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME stackadvisor)
set(CPACK_PACKAGE_VENDOR "The Stack Advisor developers")
set(CPACK_PACKAGE_CONTACT "The Stack Advisor developers <stackadvisor@users.noreply.github.com>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Go or Python for your backend, from your needs and from real benchmarks")
set(CPACK_PACKAGE_DESCRIPTION
    "Stack Advisor answers whether a web backend should be written in Go or in Python,
twice: from the team's needs (a questionnaire scored against a published decision
table, with the reasons and the answers that would flip the verdict), and from
evidence (one-click load tests of real Go, Python and Node sample servers on this
machine, charted live and checked against the published figures). Both end up in
one PDF report.

The Go servers are included, built. The Python and Node servers are prepared on
first use into the user's data folder: `stackadvisor servers setup`, or the button
on the benchmark page (needs python3-venv, python3-pip and npm, and the network).")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://github.com/stackadvisor/stackadvisor")
set(CPACK_DEBIAN_COMPRESSION_TYPE gzip)
# The Qt 6 libraries the binaries link come from dpkg-shlibdeps; these are the
# plugins Qt loads at run time, which no linker sees: the SQLite driver of the
# history and the platform plugins (xcb, wayland).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libqt6sql6-sqlite, qt6-qpa-plugins")
# Only the Python and Node servers need these, and only after `servers setup`.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "python3 (>= 3.10), python3-venv, python3-pip, nodejs (>= 18), npm")
include(CPack)
