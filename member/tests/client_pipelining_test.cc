// Many calls in flight per connection (the load generator's way: pipelining depth 16 on
// several clients): every answer comes back to its own caller, none is lost or duplicated,
// and the rate is printed.
#include <gtest/gtest.h>

#include <atomic>
#include <iostream>
#include <mutex>

#include "client_test_support.h"

namespace shoal {
namespace {

using namespace std::chrono_literals;
using client::Value;

TEST(ClientPipelining, ManyCallsInFlightPerConnectionEachAnswerReachesItsCaller) {
    test::ProcessCluster cluster(3);
    ASSERT_TRUE(cluster.await_size({0, 1, 2}, 3));
    constexpr int kClients = 4;
    constexpr int kDepth = 16;
    constexpr int kPerClient = 5000;
    std::vector<std::unique_ptr<client::Client>> clients;
    for (int c = 0; c < kClients; ++c) {
        clients.push_back(client::Client::connect(test::client_config(cluster, {0, 1, 2}, c % 2 == 0)));
    }
    std::atomic<int> done{0};
    std::atomic<int> wrong{0};
    std::atomic<int> failed{0};
    const auto start = std::chrono::steady_clock::now();
    // Each client keeps kDepth puts in flight; a put's answer (the previous value, absent the
    // first time) must be that of its own key.
    struct Lane {
        explicit Lane(client::Map m) : map(std::move(m)) {}
        client::Map map;
        std::atomic<int> next{0};
    };
    std::vector<std::unique_ptr<Lane>> lanes;
    std::function<void(Lane&, int)> issue = [&](Lane& lane, int c) {
        const int i = lane.next++;
        if (i >= kPerClient) return;
        const std::int64_t key = std::int64_t{c} * kPerClient + i;
        lane.map.put_async(Value(key), Value("v" + std::to_string(key)), [&, key, c](client::Result<std::optional<Value>> r) {
            if (!r.ok()) ++failed;
            else if (r.value()) ++wrong;  // every key is new
            issue(lane, c);
            ++done;  // last: once the test sees every answer, no callback still uses `issue`
        });
    };
    for (int c = 0; c < kClients; ++c) lanes.push_back(std::make_unique<Lane>(clients[static_cast<std::size_t>(c)]->get_map("pipelined")));
    for (int c = 0; c < kClients; ++c) {
        for (int d = 0; d < kDepth; ++d) issue(*lanes[static_cast<std::size_t>(c)], c);
    }
    ASSERT_TRUE(test::eventually([&] { return done == kClients * kPerClient; }, 60s)) << done << " answered";
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_EQ(failed, 0);
    EXPECT_EQ(wrong, 0);
    auto map = clients[0]->get_map("pipelined");
    EXPECT_EQ(map.size(), kClients * kPerClient);
    // Reads of every key, pipelined too, each with its own value.
    std::atomic<int> reads{0}, mismatched{0};
    for (std::int64_t key = 0; key < kClients * kPerClient; ++key) {
        clients[static_cast<std::size_t>(key % kClients)]->get_map("pipelined").get_async(Value(key), [&, key](auto r) {
            if (!r.ok() || !r.value() || *r.value() != Value("v" + std::to_string(key))) ++mismatched;
            ++reads;
        });
    }
    ASSERT_TRUE(test::eventually([&] { return reads == kClients * kPerClient; }, 60s));
    EXPECT_EQ(mismatched, 0);
    std::cout << kClients * kPerClient << " puts, " << kClients << " clients x depth " << kDepth << ": "
              << static_cast<long>(kClients * kPerClient / seconds) << " puts/s\n";
}

}  // namespace
}  // namespace shoal
