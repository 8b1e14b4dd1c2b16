// shoal-bench's command line.
#include <gtest/gtest.h>

#include "options.h"

namespace shoal::bench {
namespace {

ParseResult parse(std::vector<std::string_view> args) { return parse_options(args); }

TEST(BenchOptions, DefaultsAreTheComparisonWorkload) {
    const auto r = parse({"--host", "127.0.0.1:6379"});
    ASSERT_TRUE(r.options) << r.error;
    EXPECT_EQ(r.options->driver, "resp");
    EXPECT_EQ(r.options->connections, 50);
    EXPECT_EQ(r.options->pipeline, 1);
    EXPECT_EQ(r.options->keys, 1'000'000u);
    EXPECT_EQ(r.options->value_size, 100u);
    EXPECT_DOUBLE_EQ(r.options->set_ratio, 0.2);
    EXPECT_EQ(r.options->rate, 0);
    EXPECT_EQ(r.options->endpoints, (std::vector<Endpoint>{{"127.0.0.1", 6379}}));
}

TEST(BenchOptions, ParsesEveryOption) {
    const auto r = parse({"--driver", "hazelcast", "--host", "127.0.0.1:5701", "--host", "127.0.0.2:5701",
                          "--connections", "8", "--pipeline", "16", "--threads", "2", "--keys", "10k",
                          "--distribution", "zipf", "--zipf-theta", "0.9", "--value-size", "1000", "--mix", "0:100",
                          "--duration", "2.5", "--warmup", "0", "--rate", "5000", "--preload-only", "--map", "m",
                          "--cluster-name", "c", "--label", "x", "--json", "out.json", "--seed", "9"});
    ASSERT_TRUE(r.options) << r.error;
    const Options& o = *r.options;
    EXPECT_EQ(o.driver, "hazelcast");
    EXPECT_EQ(o.endpoints.size(), 2u);
    EXPECT_EQ(o.connections, 8);
    EXPECT_EQ(o.pipeline, 16);
    EXPECT_EQ(o.threads, 2);
    EXPECT_EQ(o.keys, 10'000u);
    EXPECT_EQ(o.distribution, Distribution::kZipf);
    EXPECT_DOUBLE_EQ(o.zipf_theta, 0.9);
    EXPECT_EQ(o.value_size, 1000u);
    EXPECT_DOUBLE_EQ(o.set_ratio, 1.0);
    EXPECT_DOUBLE_EQ(o.seconds, 2.5);
    EXPECT_DOUBLE_EQ(o.warmup_seconds, 0);
    EXPECT_DOUBLE_EQ(o.rate, 5000);
    EXPECT_TRUE(o.preload);
    EXPECT_FALSE(o.run);
    EXPECT_EQ(o.map_name, "m");
    EXPECT_EQ(o.cluster_name, "c");
    EXPECT_EQ(o.label, "x");
    EXPECT_EQ(o.json_path, "out.json");
    EXPECT_EQ(o.seed, 9u);
}

TEST(BenchOptions, MixAcceptsRatiosAndShares) {
    EXPECT_DOUBLE_EQ(parse({"--host", "h:1", "--mix", "80:20"}).options->set_ratio, 0.2);
    EXPECT_DOUBLE_EQ(parse({"--host", "h:1", "--mix", "100:0"}).options->set_ratio, 0.0);
    EXPECT_DOUBLE_EQ(parse({"--host", "h:1", "--mix", "0.5"}).options->set_ratio, 0.5);
    EXPECT_FALSE(parse({"--host", "h:1", "--mix", "0:0"}).options);
    EXPECT_FALSE(parse({"--host", "h:1", "--mix", "1.5"}).options);
}

TEST(BenchOptions, RefusalsNameTheOption) {
    auto error = [](std::vector<std::string_view> args) { return parse_options(args).error; };
    EXPECT_EQ(error({}), "--host HOST:PORT is required");
    EXPECT_EQ(error({"--host", "nope"}), "bad value 'nope' for --host");
    EXPECT_EQ(error({"--host", "h:1", "--connections", "0"}), "bad value '0' for --connections");
    EXPECT_EQ(error({"--host", "h:1", "--driver", "memcache"}), "bad value 'memcache' for --driver");
    EXPECT_EQ(error({"--host", "h:1", "--distribution", "pareto"}), "bad value 'pareto' for --distribution");
    EXPECT_EQ(error({"--host", "h:1", "--frobnicate", "1"}), "unknown option '--frobnicate'");
    EXPECT_EQ(error({"--host", "h:1", "--keys"}), "option --keys needs a value");
    EXPECT_EQ(error({"--host", "h:1", "--host", "h:2"}), "the resp driver takes one --host");
}

TEST(BenchOptions, ThreadsNeverExceedConnections) {
    EXPECT_EQ(parse({"--host", "h:1", "--connections", "2", "--threads", "8"}).options->threads, 2);
}

}  // namespace
}  // namespace shoal::bench
