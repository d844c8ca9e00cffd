# Runs `entmc check POLICY` (and `entmc replay POLICY` where it has steps).
# POLICY.expected.txt next to it: the check must fail (exit 1) and print
# exactly those VIOLATION lines and trace; without one it must pass (exit 0).
# Graph checks (eventually_possible) run with `entmc graph` when the file has
# one; POLICY.graph.txt: it must fail (exit 1) and print that block.
# Run from the source folder with a relative path: messages name FILE:LINE as
# a user typing the command would see them.
get_filename_component(source_dir ${CMAKE_CURRENT_LIST_DIR}/../.. ABSOLUTE)
file(RELATIVE_PATH POLICY ${source_dir} ${POLICY})
set(POLICY_ABS ${source_dir}/${POLICY})
execute_process(COMMAND ${ENTMC} check ${POLICY} -q -j1 OUTPUT_VARIABLE out RESULT_VARIABLE rc
                WORKING_DIRECTORY ${source_dir})
string(REGEX REPLACE "\\.yaml$" ".expected.txt" expected_file ${POLICY_ABS})
if(EXISTS ${expected_file})
  if(NOT rc EQUAL 1)
    message(FATAL_ERROR "entmc check ${POLICY}: exit ${rc}, expected 1 (a violation)\n${out}")
  endif()
  # The counterexample: from the VIOLATION line to the blank line before the statistics.
  string(REGEX MATCH "VIOLATION[^\n]*\n(  [^\n]*\n)*" found "${out}")
  file(READ ${expected_file} expected)
  if(NOT found STREQUAL expected)
    message(FATAL_ERROR "entmc check ${POLICY}: counterexample differs from ${expected_file}\n--- found:\n${found}--- expected:\n${expected}")
  endif()
elseif(NOT rc EQUAL 0)
  message(FATAL_ERROR "entmc check ${POLICY}: exit ${rc}, expected 0\n${out}")
endif()
file(READ ${POLICY_ABS} text)
if(text MATCHES "\nsteps:")
  execute_process(COMMAND ${ENTMC} replay ${POLICY} -q OUTPUT_VARIABLE out RESULT_VARIABLE rc
                  WORKING_DIRECTORY ${source_dir})
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "entmc replay ${POLICY}: exit ${rc}, expected 0\n${out}")
  endif()
endif()
if(text MATCHES "eventually_possible:")
  execute_process(COMMAND ${ENTMC} graph ${POLICY} OUTPUT_VARIABLE out RESULT_VARIABLE rc
                  WORKING_DIRECTORY ${source_dir})
  string(REGEX REPLACE "\\.yaml$" ".graph.txt" graph_file ${POLICY_ABS})
  if(EXISTS ${graph_file})
    # The user property's block (the built-in graph checks' lines around it may change).
    file(READ ${graph_file} expected)
    string(FIND "${out}" "${expected}" at)
    if(NOT rc EQUAL 1 OR at EQUAL -1)
      message(FATAL_ERROR "entmc graph ${POLICY}: exit ${rc}, output differs from ${graph_file}\n${out}")
    endif()
  elseif(NOT rc EQUAL 0)
    message(FATAL_ERROR "entmc graph ${POLICY}: exit ${rc}, expected 0\n${out}")
  endif()
endif()
