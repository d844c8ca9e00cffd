# Profile-guided optimisation (GCC) for the release build, in two builds of
# one folder: ENTMC_PGO=generate makes programs that write profiles as they
# run (the training), ENTMC_PGO=use builds again from those profiles. GCC
# names a profile after its object file's full path, so both builds must use
# the same folder. scripts/build-release.sh runs the whole sequence.
set(ENTMC_PGO "" CACHE STRING "Profile-guided optimisation phase: '', 'generate' or 'use' (GCC)")
set(ENTMC_PGO_DIR "${CMAKE_BINARY_DIR}/pgo-profiles" CACHE PATH "Folder of the profiles ENTMC_PGO writes and reads")
if(ENTMC_PGO)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    message(FATAL_ERROR "ENTMC_PGO needs GCC; the compiler is ${CMAKE_CXX_COMPILER_ID}")
  endif()
  if(ENTMC_PGO STREQUAL "generate")
    # Atomic counters: the explorer's threads share them.
    target_compile_options(entmc_options INTERFACE -fprofile-generate=${ENTMC_PGO_DIR} -fprofile-update=prefer-atomic)
    target_link_options(entmc_options INTERFACE -fprofile-generate=${ENTMC_PGO_DIR})
  elseif(ENTMC_PGO STREQUAL "use")
    # Code the training did not run is optimised as without profiles
    # (-fprofile-partial-training), and its missing profiles are expected.
    # A source edited between the two builds has a stale profile: GCC then
    # optimises that function as without one, and says so (a warning, not
    # the error it is by default: the binary is correct either way).
    target_compile_options(entmc_options INTERFACE -fprofile-use=${ENTMC_PGO_DIR} -fprofile-partial-training
                                                   -Wno-missing-profile -Wno-error=coverage-mismatch)
  else()
    message(FATAL_ERROR "ENTMC_PGO must be '', 'generate' or 'use', not '${ENTMC_PGO}'")
  endif()
endif()
