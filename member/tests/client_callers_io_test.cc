// A client on the caller's io_context (what shoal-bench runs: many clients on one thread): it
// starts no thread of its own, every callback runs on the thread that runs the io_context, and
// smart routing still reaches every member.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <thread>

#include "client_test_support.h"

namespace shoal {
namespace {

using namespace std::chrono_literals;
using client::Value;

// Runs `io` on this thread until `done` holds or `timeout` passes.
template <typename Done>
bool run_until(boost::asio::io_context& io, Done done, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        io.run_for(5ms);
    }
    return true;
}

TEST(ClientOnCallersIoContext, CallbacksRunOnTheCallersThreadAndReachEveryMember) {
    test::ProcessCluster cluster(2);
    ASSERT_TRUE(cluster.await_size({0, 1}, 2));
    boost::asio::io_context io;
    constexpr int kKeys = 300;
    int wrong_thread = 0;
    int failed = 0;
    int answered = 0;
    {
        client::Client client(test::client_config(cluster, {0}, true), io);
        ASSERT_TRUE(run_until(io, [&] { return client.connected() && client.connection_count() == 2; }, 20s))
            << client.last_error();
        auto map = client.get_map("callers-io");
        const auto caller = std::this_thread::get_id();
        for (int i = 0; i < kKeys; ++i) {
            map.set_async(Value(std::to_string(i)), Value("v" + std::to_string(i)), [&](client::Result<client::Unit> r) {
                if (std::this_thread::get_id() != caller) ++wrong_thread;
                if (!r.ok()) ++failed;
                ++answered;
            });
        }
        ASSERT_TRUE(run_until(io, [&] { return answered == kKeys; }, 30s)) << answered << " answered";
        int matching = 0;
        for (int i = 0; i < kKeys; ++i) {
            map.get_async(Value(std::to_string(i)), [&, i](client::Result<std::optional<Value>> r) {
                if (std::this_thread::get_id() != caller) ++wrong_thread;
                if (r.ok() && r.value() && r.value()->as_string() == "v" + std::to_string(i)) ++matching;
                ++answered;
            });
        }
        ASSERT_TRUE(run_until(io, [&] { return answered == 2 * kKeys; }, 30s)) << answered << " answered";
        EXPECT_EQ(matching, kKeys);
    }
    EXPECT_EQ(wrong_thread, 0);
    EXPECT_EQ(failed, 0);
    // A client on its own threads sees what the first wrote, on both members' partitions.
    auto other = client::Client::connect(test::client_config(cluster, {1}, true));
    EXPECT_EQ(other->get_map("callers-io").size(), kKeys);
}

}  // namespace
}  // namespace shoal
