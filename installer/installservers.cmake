# Runs at install time (cmake --install, cpack; see packaging.cmake): installs the
# Go servers servers/build.sh built, and a manifest.json that marks them ready and
# every Python and Node server as "prepare me" with the command that does it.
#
# Inputs (set by packaging.cmake's install(CODE)): STACKADVISOR_SERVERS_BUILD_DIR,
# STACKADVISOR_CATALOG, STACKADVISOR_SERVERS_DESTINATION, STACKADVISOR_STAGING_DIR.

set(built "${STACKADVISOR_SERVERS_BUILD_DIR}")
if(NOT EXISTS "${built}/manifest.json")
    message(FATAL_ERROR "The sample servers are not built (no ${built}/manifest.json): "
                        "run `make servers` (or `make setup`) before `make package`.")
endif()
file(READ "${built}/manifest.json" manifest)
file(READ "${STACKADVISOR_CATALOG}" catalog)
string(JSON built_at ERROR_VARIABLE problem GET "${manifest}" builtAt)
if(problem)
    message(FATAL_ERROR "${built}/manifest.json is not a build manifest (${problem}): run `make servers` again.")
endif()

set(installed "{\"schemaVersion\": 1, \"builtAt\": \"${built_at}\", \"servers\": {}}")
set(fix "run `stackadvisor servers setup` (or press \\\"Prepare Python and Node servers\\\" on the benchmark page)")
string(JSON count LENGTH "${catalog}" servers)
math(EXPR last "${count} - 1")
foreach(index RANGE ${last})
    string(JSON id GET "${catalog}" servers ${index} id)
    string(JSON runtime GET "${catalog}" servers ${index} runtime)
    string(JSON framework GET "${catalog}" servers ${index} framework)
    if(runtime STREQUAL "go")
        string(JSON ready ERROR_VARIABLE problem GET "${manifest}" servers ${id} ready)
        if(problem OR NOT ready OR NOT EXISTS "${built}/go/${id}")
            string(JSON reason ERROR_VARIABLE ignored GET "${manifest}" servers ${id} reason)
            message(FATAL_ERROR "The Go server ${id} is not built in ${built} (${reason}): the package ships "
                                "every Go server; install Go (see README) and run `make servers`.")
        endif()
        file(INSTALL "${built}/go/${id}" DESTINATION "${STACKADVISOR_SERVERS_DESTINATION}/go"
            FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
        string(JSON entry GET "${manifest}" servers ${id})
    else()
        # Built on the user's machine by servers/build.sh, not here: a venv is tied
        # to the Python that made it, node_modules to the Node that installed them.
        set(entry "{\"ready\": false, \"reason\": \"not prepared on this machine yet (its packages are installed on first use)\", \"fix\": \"${fix}\", \"framework\": \"${framework}\"}")
    endif()
    string(JSON installed SET "${installed}" servers ${id} "${entry}")
endforeach()

file(MAKE_DIRECTORY "${STACKADVISOR_STAGING_DIR}")
file(WRITE "${STACKADVISOR_STAGING_DIR}/manifest.json" "${installed}\n")
file(INSTALL "${STACKADVISOR_STAGING_DIR}/manifest.json" DESTINATION "${STACKADVISOR_SERVERS_DESTINATION}")
