# gcstress tests — runs the built gcstress once and checks its exit code and output; optionally
# replays the repro it wrote and checks the replay. For the sanitizer demonstrations (see
# CMakeLists.txt here), which need a process of their own per case.
#
#   cmake -DGCSTRESS=<binary> -DARGS=<args separated by |> -DWORKDIR=<fresh dir>
#         -DEXPECT_CODE=<n> [-DEXPECT_REGEX=<re>] [-DREJECT_REGEX=<re>] [-DREPLAY_REGEX=<re>]
#         -P expect_gcstress.cmake
#
# EXPECT_REGEX must match stdout; REJECT_REGEX must match neither stdout nor stderr; with
# REPLAY_REGEX, `gcstress replay` of the repro named on the "replay:" line must exit with
# EXPECT_CODE too and print something matching it.
string(REPLACE "|" ";" args "${ARGS}")
file(REMOVE_RECURSE "${WORKDIR}")
file(MAKE_DIRECTORY "${WORKDIR}")

execute_process(COMMAND "${GCSTRESS}" ${args} WORKING_DIRECTORY "${WORKDIR}"
                RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("$ gcstress ${args}\n${out}${err}exit code ${code}")
if(NOT code EQUAL EXPECT_CODE)
  message(FATAL_ERROR "expected exit code ${EXPECT_CODE}, got ${code}")
endif()
if(EXPECT_REGEX AND NOT out MATCHES "${EXPECT_REGEX}")
  message(FATAL_ERROR "stdout does not match: ${EXPECT_REGEX}")
endif()
if(REJECT_REGEX AND (out MATCHES "${REJECT_REGEX}" OR err MATCHES "${REJECT_REGEX}"))
  message(FATAL_ERROR "the output matches what it must not: ${REJECT_REGEX}")
endif()

if(REPLAY_REGEX)
  if(NOT out MATCHES "replay: gcstress replay ([^\n]+)")
    message(FATAL_ERROR "no replay line to follow")
  endif()
  set(repro "${CMAKE_MATCH_1}")
  execute_process(COMMAND "${GCSTRESS}" replay "${repro}" WORKING_DIRECTORY "${WORKDIR}"
                  RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
  message("$ gcstress replay ${repro}\n${out}exit code ${code}")
  if(NOT code EQUAL EXPECT_CODE)
    message(FATAL_ERROR "replay: expected exit code ${EXPECT_CODE}, got ${code}")
  endif()
  if(NOT out MATCHES "${REPLAY_REGEX}")
    message(FATAL_ERROR "replay: stdout does not match: ${REPLAY_REGEX}")
  endif()
endif()
