// An iptables-restore kept running between transactions.
//
// iptables-restore (both backends) reads its input a line at a time and commits each
// `*table ... COMMIT` section when it reaches the COMMIT, holding the xtables lock only from
// `*` to COMMIT and reading the table afresh at each `*` (nf_tables: rebuilding its cache when
// the table's generation moved on). With --verbose it echoes comment lines as it reaches them.
// So one process can apply document after document: each is followed by a numbered comment,
// the fence, and the echoed fence says that everything before it was committed. A failing
// line makes the tool exit; the next document starts a new process.
//
// What this saves is the tool's start-up for every change (exec, dynamic linking, loading one
// shared object per extension): about half of a small change's time (design.md, "A firewall
// pass").
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "kernel/netfilter/child_process.h"

namespace kr::netfilter {

class RestoreSession {
 public:
  // `argv` runs the restore tool and must include --verbose; `netns_path` as in command.h;
  // `env` as in start_child(). Nothing starts until the first apply().
  RestoreSession(std::vector<std::string> argv, std::string netns_path,
                 std::vector<std::string> env = {});
  ~RestoreSession();  // closes the tool's input; it exits at the end of it
  RestoreSession(const RestoreSession&) = delete;
  RestoreSession& operator=(const RestoreSession&) = delete;

  // Applies one document of complete sections, each ending with COMMIT, and returns once the
  // kernel has them. Throws NetfilterError naming the tool with its stderr, line numbers
  // counted from this document's first line. Callers on several threads take turns.
  void apply(std::string_view document);

  // Ends the tool, if one runs, and waits for it to exit; the next apply() starts another.
  void end();

 private:
  void start();
  int stop();  // closes the input and reaps the tool; returns its exit code
  // Ends the tool and throws `why` (empty when the tool exited by itself) with its stderr,
  // renumbered for a document that started after `offset` lines of input.
  [[noreturn]] void fail(uint64_t offset, std::string_view why);
  bool alive();

  const std::vector<std::string> argv_;
  const std::string netns_path_;
  const std::vector<std::string> env_;
  std::mutex mutex_;
  Child child_;
  uint64_t lines_sent_ = 0;  // the tool numbers its input lines from its start
  uint64_t fences_ = 0;
  std::string out_;  // stdout not yet scanned for a fence
  std::string err_;  // stderr during this document
};

// `text` with every "line N" / "line: N" whose N exceeds `offset` renumbered to N - offset:
// the tool counts lines from the start of its input, the reader from the start of a document.
std::string renumber_lines(std::string_view text, uint64_t offset);

}  // namespace kr::netfilter
