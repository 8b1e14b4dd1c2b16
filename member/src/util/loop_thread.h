// The event loop of the calling thread, when it runs one (an IO thread does): a function that
// queues work to run on this same thread after the handlers already ready.
//
// The partition threads use it to let an IO thread run a key operation itself instead of
// waking a partition thread for it (see PartitionThreads::submit_from_loop). The hook lives
// here, not in net/, so the partition module needs no Asio.
#pragma once

#include <functional>

namespace shoal::util {

using LoopPost = std::function<void(std::function<void()>)>;

// Installs `post` as the calling thread's loop; an empty function removes it.
void set_this_thread_loop(LoopPost post);
// The calling thread's loop, or null when the thread runs none.
const LoopPost* this_thread_loop();

}  // namespace shoal::util
