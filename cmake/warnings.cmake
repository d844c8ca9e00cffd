# Warnings and sanitizers for every target of the project (entmc_options).
add_library(entmc_options INTERFACE)
target_compile_options(entmc_options INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                                               -Wold-style-cast -Wcast-align -Woverloaded-virtual)
if(ENTMC_WERROR)
  target_compile_options(entmc_options INTERFACE -Werror)
endif()
if(ENTMC_SANITIZE)
  target_compile_options(entmc_options INTERFACE -fsanitize=${ENTMC_SANITIZE} -fno-omit-frame-pointer
                                                 -fno-sanitize-recover=all)
  target_link_options(entmc_options INTERFACE -fsanitize=${ENTMC_SANITIZE})
endif()
target_include_directories(entmc_options INTERFACE ${PROJECT_SOURCE_DIR})
