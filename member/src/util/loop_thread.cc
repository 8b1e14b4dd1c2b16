#include "util/loop_thread.h"

#include <utility>

namespace shoal::util {
namespace {

thread_local LoopPost t_loop;

}  // namespace

void set_this_thread_loop(LoopPost post) { t_loop = std::move(post); }

const LoopPost* this_thread_loop() { return t_loop ? &t_loop : nullptr; }

}  // namespace shoal::util
