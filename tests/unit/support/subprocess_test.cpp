#include "support/subprocess.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <csignal>
#include <system_error>

#include "support/temp_dir.h"
#include "support/wait.h"

namespace kr::test {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

bool pid_alive(pid_t pid) { return kill(pid, 0) == 0; }

TEST(Subprocess, ReportsExitCode) {
  Subprocess process({"sh", "-c", "exit 3"});
  const ExitStatus status = process.wait();
  EXPECT_EQ(status.code, 3);
  EXPECT_EQ(status.signal, 0);
  EXPECT_FALSE(status.success());
  EXPECT_EQ(status.describe(), "exit 3");
}

TEST(Subprocess, ReportsTerminatingSignal) {
  Subprocess process({"sleep", "100"});
  EXPECT_TRUE(process.running());
  process.signal(SIGTERM);
  const ExitStatus status = process.wait();
  EXPECT_EQ(status.signal, SIGTERM);
  EXPECT_EQ(status.code, -1);
  EXPECT_NE(status.describe().find("signal 15"), std::string::npos);
  EXPECT_FALSE(process.running());
}

TEST(Subprocess, MissingProgramThrowsNamingIt) {
  try {
    Subprocess process({"kr-no-such-program-xyz"});
    FAIL() << "expected an exception";
  } catch (const std::system_error& e) {
    EXPECT_NE(std::string(e.what()).find("kr-no-such-program-xyz"), std::string::npos);
  }
}

TEST(Subprocess, NonExecutableFileThrows) {
  TempDir dir;
  const auto script = dir.write("not-executable.sh", "#!/bin/sh\nexit 0\n");
  EXPECT_THROW(Subprocess({script.string()}), std::system_error);
}

TEST(Subprocess, MissingNetnsThrowsNamingIt) {
  SpawnOptions options;
  options.netns = "kr-no-such-netns-xyz";
  try {
    Subprocess process({"true"}, options);
    FAIL() << "expected an exception";
  } catch (const std::system_error& e) {
    EXPECT_NE(std::string(e.what()).find("kr-no-such-netns-xyz"), std::string::npos);
  }
}

TEST(Subprocess, PassesEnvironmentAndWritesOutputFiles) {
  TempDir dir;
  SpawnOptions options;
  options.env = {"KR_TEST_VALUE=hello", "HOME=/nonexistent-home"};
  options.stdout_path = dir.file("out");
  options.stderr_path = dir.file("err");
  options.cwd = dir.path();
  Subprocess process({"sh", "-c", "echo $KR_TEST_VALUE $HOME; pwd; echo oops >&2"}, options);
  ASSERT_TRUE(process.wait().success());
  EXPECT_EQ(read_file(dir.file("out")), "hello /nonexistent-home\n" + dir.path().string() + "\n");
  EXPECT_EQ(read_file(dir.file("err")), "oops\n");
}

TEST(Subprocess, ClearEnvStartsEmpty) {
  TempDir dir;
  SpawnOptions options;
  options.clear_env = true;
  options.env = {"ONLY=1"};
  options.stdout_path = dir.file("out");
  Subprocess process({"/usr/bin/env"}, options);
  ASSERT_TRUE(process.wait().success());
  EXPECT_EQ(read_file(dir.file("out")), "ONLY=1\n");
}

TEST(Subprocess, WaitForReturnsNothingWhileRunning) {
  Subprocess process({"sleep", "100"});
  EXPECT_FALSE(process.wait_for(milliseconds(50)).has_value());
  EXPECT_TRUE(process.running());
}

TEST(Subprocess, DestructorKillsProcessAndItsChildren) {
  TempDir dir;
  pid_t shell = -1;
  {
    // The shell starts a grandchild in its process group and records its pid.
    Subprocess process(
        {"sh", "-c", "sleep 100 & echo $! > " + dir.file("child").string() + "; wait"});
    shell = process.pid();
    ASSERT_TRUE(wait_until([&] { return read_file_or_empty(dir.file("child")).ends_with("\n"); },
                           seconds(10)));
  }
  EXPECT_FALSE(pid_alive(shell));
  const pid_t grandchild = std::stoi(read_file(dir.file("child")));
  // The grandchild is reparented when killed; wait for it to be reaped by init.
  EXPECT_TRUE(wait_until([&] { return !pid_alive(grandchild); }, seconds(10)))
      << "grandchild " << grandchild << " survived";
}

TEST(Subprocess, StopEscalatesToKillWhenTermIsIgnored) {
  TempDir dir;
  SpawnOptions options;
  options.stdout_path = dir.file("ready");
  Subprocess process({"sh", "-c", "trap '' TERM; echo ready; while :; do sleep 1; done"}, options);
  ASSERT_TRUE(wait_until([&] { return read_file(dir.file("ready")) == "ready\n"; }, seconds(10)));
  const ExitStatus status = process.stop(milliseconds(200));
  EXPECT_EQ(status.signal, SIGKILL);
}

TEST(Subprocess, StopEndsProcessWithTerm) {
  Subprocess process({"sleep", "100"});
  EXPECT_EQ(process.stop().signal, SIGTERM);
}

TEST(Subprocess, MovedFromObjectDoesNotKill) {
  Subprocess first({"sleep", "100"});
  const pid_t pid = first.pid();
  Subprocess second = std::move(first);
  EXPECT_EQ(second.pid(), pid);
  EXPECT_TRUE(second.running());
  EXPECT_FALSE(first.running());  // NOLINT(bugprone-use-after-move): documented empty state
}

TEST(FindExecutable, FindsShellAndRejectsUnknown) {
  EXPECT_FALSE(find_executable("sh").empty());
  EXPECT_TRUE(find_executable("kr-no-such-program-xyz").empty());
  EXPECT_EQ(find_executable("/bin/sh"), "/bin/sh");
  EXPECT_TRUE(find_executable("/nonexistent/sh").empty());
  EXPECT_TRUE(find_executable("").empty());
}

}  // namespace
}  // namespace kr::test
