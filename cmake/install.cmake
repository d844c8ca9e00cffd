# `cmake --install`: the entmc executable, its man page (help2man from
# --help, when help2man is installed), bash completion, and a CMake package
# (find_package(entmc): packaging/entmcConfig.cmake.in) with the libraries
# and their headers under include/entmc/.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(TARGETS entmc RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

set(ENTMC_PACKAGE_LIBS "")
foreach(lib util model properties scenario engine sim report)
  if(TARGET entmc_${lib})
    list(APPEND ENTMC_PACKAGE_LIBS ${lib})
    install(TARGETS entmc_${lib} ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
    install(DIRECTORY ${PROJECT_SOURCE_DIR}/${lib}/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/entmc/${lib}
            FILES_MATCHING PATTERN "*.h")
  endif()
endforeach()

if(ENTMC_MPI AND MPI_CXX_FOUND)
  set(ENTMC_PACKAGE_MPI TRUE)
else()
  set(ENTMC_PACKAGE_MPI FALSE)
endif()
configure_file(${PROJECT_SOURCE_DIR}/packaging/entmcConfig.cmake.in ${CMAKE_CURRENT_BINARY_DIR}/entmcConfig.cmake @ONLY)
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/entmcConfigVersion.cmake
                                 VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/entmcConfig.cmake ${CMAKE_CURRENT_BINARY_DIR}/entmcConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/entmc)

install(FILES ${PROJECT_SOURCE_DIR}/packaging/entmc.bash-completion
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME entmc)

find_program(HELP2MAN help2man)
if(HELP2MAN)
  add_custom_command(OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/entmc.1
                     COMMAND ${HELP2MAN} --no-info --section=1 --name "model checker and simulator for AWS Marketplace managed entitlements"
                             --output=${CMAKE_CURRENT_BINARY_DIR}/entmc.1 $<TARGET_FILE:entmc>
                     DEPENDS entmc VERBATIM)
  add_custom_target(entmc_man ALL DEPENDS ${CMAKE_CURRENT_BINARY_DIR}/entmc.1)
  install(FILES ${CMAKE_CURRENT_BINARY_DIR}/entmc.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
else()
  message(STATUS "help2man not found: no man page (scripts/setup.sh installs it)")
endif()
