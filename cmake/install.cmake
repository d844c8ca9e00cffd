# `cmake --install`: the entmc executable, its man page (help2man from
# --help, when help2man is installed), bash completion, and a CMake package
# (find_package(entmc): a generated entmcTargets.cmake and
# packaging/entmcConfig.cmake.in) with the libraries and their headers under
# include/entmc/.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# The CMake package is generated (install(EXPORT)): entmcTargets.cmake holds
# the libraries as entmc::<name> imported targets with their usage
# requirements as the build declares them, and entmcConfig.cmake (from
# packaging/entmcConfig.cmake.in) finds their dependencies and includes it.
set(ENTMC_PACKAGE_TARGETS entmc entmc_options)
set_target_properties(entmc PROPERTIES EXPORT_NAME entmc)
set_target_properties(entmc_options PROPERTIES EXPORT_NAME options)
foreach(lib util model properties scenario engine sim report)
  if(TARGET entmc_${lib})
    list(APPEND ENTMC_PACKAGE_TARGETS entmc_${lib})
    set_target_properties(entmc_${lib} PROPERTIES EXPORT_NAME ${lib})
    install(DIRECTORY ${PROJECT_SOURCE_DIR}/${lib}/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/entmc/${lib}
            FILES_MATCHING PATTERN "*.h")
  endif()
endforeach()

if(ENTMC_MPI AND MPI_CXX_FOUND)
  set(ENTMC_PACKAGE_MPI TRUE)
else()
  set(ENTMC_PACKAGE_MPI FALSE)
endif()
# What holds only inside this build: the source tree as an include directory
# (installed, the headers are under include/entmc/, reached as
# "entmc/model/world.h" or, as the headers include each other, "model/world.h"),
# and entmc_options' warnings, -Werror, sanitizer and PGO flags, which are
# this project's choices and not a consumer's.
foreach(target ${ENTMC_PACKAGE_TARGETS})
  foreach(prop INTERFACE_INCLUDE_DIRECTORIES INTERFACE_COMPILE_OPTIONS INTERFACE_LINK_OPTIONS)
    get_target_property(value ${target} ${prop})
    if(value)
      set_property(TARGET ${target} PROPERTY ${prop} "$<BUILD_INTERFACE:${value}>")
    endif()
  endforeach()
endforeach()

install(TARGETS ${ENTMC_PACKAGE_TARGETS} EXPORT entmcTargets
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} ${CMAKE_INSTALL_INCLUDEDIR}/entmc)
install(EXPORT entmcTargets NAMESPACE entmc:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/entmc)
configure_package_config_file(${PROJECT_SOURCE_DIR}/packaging/entmcConfig.cmake.in
                              ${CMAKE_CURRENT_BINARY_DIR}/entmcConfig.cmake
                              INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/entmc)
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
