// SIGTERM/SIGINT handling without asynchronous signal handlers: the signals are blocked in every
// thread (block_shutdown_signals() runs before any thread starts, and threads inherit the mask)
// and the main thread collects them synchronously with sigtimedwait.
#pragma once

#include <chrono>
#include <optional>

namespace kr::app {

// Blocks SIGTERM and SIGINT for the calling thread and every thread it creates afterwards.
void block_shutdown_signals();

// Waits up to `timeout` for SIGTERM or SIGINT; returns the signal number, or nullopt on timeout.
std::optional<int> wait_for_shutdown_signal(std::chrono::milliseconds timeout);

}  // namespace kr::app
