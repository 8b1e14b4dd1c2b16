// Map blocks: limits, names, and which block a map name gets (exact, best wildcard, default).
#include <gtest/gtest.h>

#include "config/config_loader.h"

namespace shoal::config {
namespace {

MemberConfig load_yaml(const std::string& yaml) {
    ConfigSources sources;
    sources.yaml_text = yaml;
    sources.yaml_name = "shoal.yaml";
    return load_config(sources);
}

std::string error_of(const std::string& yaml) {
    try {
        load_yaml(yaml);
    } catch (const ConfigError& e) {
        return e.what();
    }
    ADD_FAILURE() << "config was accepted: " << yaml;
    return {};
}

// A MemberConfig whose map blocks are the given patterns, each with its own backup count.
MemberConfig with_patterns(std::initializer_list<std::string> patterns) {
    MemberConfig c;
    c.map_default.backup_count = 0;
    int count = 1;
    for (const auto& pattern : patterns) c.maps[pattern].backup_count = count++;
    return c;
}

TEST(MapBlocks, Limits) {
    EXPECT_EQ(error_of("shoal:\n  map:\n    default:\n      backup-count: 7\n"),
              "shoal.yaml:4:21: 'map.default.backup-count' must be an integer between 0 and 6, got '7'");
    EXPECT_EQ(error_of("shoal:\n  map:\n    m:\n      async-backup-count: -1\n"),
              "shoal.yaml:4:27: 'map.m.async-backup-count' must be an integer between 0 and 6, got '-1'");
    EXPECT_EQ(error_of("shoal:\n  map:\n    m:\n      backup-count: 4\n      async-backup-count: 3\n"),
              "shoal.yaml:5:27: map 'm': backup-count + async-backup-count must be at most 6, got 4 + 3");
    EXPECT_EQ(error_of("shoal:\n  map:\n    default:\n      async-backup-count: 6\n      backup-count: 1\n"),
              "shoal.yaml:4:27: map 'default': backup-count + async-backup-count must be at most 6, got 1 + 6");
    EXPECT_EQ(
        error_of("shoal:\n  map:\n    default:\n      time-to-live-seconds: -1\n"),
        "shoal.yaml:4:29: 'map.default.time-to-live-seconds' must be an integer between 0 and 2147483647, got '-1'");
    EXPECT_EQ(error_of("shoal:\n  map:\n    default:\n      max-idle-seconds: 2147483648\n"),
              "shoal.yaml:4:25: 'map.default.max-idle-seconds' must be an integer between 0 and 2147483647, got "
              "'2147483648'");
    const MemberConfig c = load_yaml("shoal:\n  map:\n    m: {backup-count: 6, async-backup-count: 0}\n");
    EXPECT_EQ(c.map_config("m").backup_count, 6);
}

TEST(MapBlocks, Names) {
    EXPECT_EQ(error_of("shoal:\n  map:\n    a*b*:\n      backup-count: 1\n"),
              "shoal.yaml:3:5: map name pattern 'a*b*' may hold at most one '*'");
    EXPECT_EQ(error_of("shoal:\n  map:\n    a@b: {}\n"),
              "shoal.yaml:3:5: map name 'a@b' may not hold '@' (a name with '@' is the map before it, with a partition "
              "key after it)");
    EXPECT_EQ(error_of("shoal:\n  map:\n    \"\": {}\n"), "shoal.yaml:3:5: map names must not be empty");
    EXPECT_EQ(error_of("shoal:\n  map:\n    m: 5\n"),
              "shoal.yaml:3:8: 'map.m' must be a map of keys, got a single value");
    const MemberConfig c = load_yaml("shoal:\n  map:\n    com.example.cache:\n      backup-count: 0\n    empty:\n");
    EXPECT_EQ(c.map_config("com.example.cache").backup_count, 0);
    ASSERT_EQ(c.maps.count("empty"), 1u);  // a block with no keys still exists, with the built-in defaults
    EXPECT_EQ(c.maps.at("empty"), MapConfig{});
}

TEST(MapBlocks, NamedBlocksStartFromBuiltInDefaultsNotFromDefaultBlock) {
    const MemberConfig c = load_yaml(
        "shoal:\n  map:\n    default: {backup-count: 3, time-to-live-seconds: 9}\n"
        "    m: {max-idle-seconds: 5}\n");
    EXPECT_EQ(c.map_config("m"), (MapConfig{1, 0, 0, 5}));
    EXPECT_EQ(c.map_config("other"), (MapConfig{3, 0, 9, 0}));
}

TEST(MapMatching, ExactThenLongestWildcardThenDefault) {
    const MemberConfig c = load_yaml(
        "shoal:\n  map:\n    default: {backup-count: 1}\n    user*: {backup-count: 2}\n"
        "    user-session*: {backup-count: 3}\n    user-sessions: {backup-count: 4}\n    \"*-audit\": {backup-count: "
        "5}\n"
        "    \"*\": {backup-count: 6}\n");
    EXPECT_EQ(c.map_config("users").backup_count, 2);
    EXPECT_EQ(c.map_config("user").backup_count, 2);  // '*' matches nothing too
    EXPECT_EQ(c.map_config("user-session-eu").backup_count, 3);
    EXPECT_EQ(c.map_config("user-sessions").backup_count, 4);
    EXPECT_EQ(c.map_config("orders-audit").backup_count, 5);
    EXPECT_EQ(c.map_config("orders").backup_count, 6);  // "*" beats map.default
}

TEST(MapMatching, DefaultWhenNothingMatches) {
    const MemberConfig c = with_patterns({"a*", "*z", "exact"});
    EXPECT_EQ(c.map_config("middle").backup_count, 0);
    EXPECT_EQ(c.map_config("exactly").backup_count, 0);
    EXPECT_EQ(c.map_config("").backup_count, 0);
}

TEST(MapMatching, PrefixAndSuffixMayNotOverlap) {
    const MemberConfig c = with_patterns({"ab*ba"});
    EXPECT_EQ(c.map_config("aba").backup_count, 0);
    EXPECT_EQ(c.map_config("abba").backup_count, 1);
    EXPECT_EQ(c.map_config("ab-ba").backup_count, 1);
}

TEST(MapMatching, InfixWildcard) {
    const MemberConfig c = with_patterns({"com.*.cache"});
    EXPECT_EQ(c.map_config("com.example.cache").backup_count, 1);
    EXPECT_EQ(c.map_config("com..cache").backup_count, 1);
    EXPECT_EQ(c.map_config("com.example.cache2").backup_count, 0);
}

TEST(MapMatching, PartitionAwareNamesUseTheirBaseName) {
    const MemberConfig c = with_patterns({"orders", "sess*"});
    EXPECT_EQ(c.map_config("orders@customer-7").backup_count, 1);
    EXPECT_EQ(c.map_config("sessions@x").backup_count, 2);
    EXPECT_EQ(c.map_config("@x").backup_count, 0);
}

TEST(MapMatching, EqualWildcardsTieToTheFirstNameAndWarn) {
    const MemberConfig c = load_yaml(
        "shoal:\n  map:\n    \"a*\": {backup-count: 2}\n    \"*b\": {backup-count: 3}\n"
        "    \"xy*\": {backup-count: 4}\n");
    EXPECT_EQ(c.map_config("ab").backup_count, 3);  // "*b" sorts before "a*"
    ASSERT_EQ(c.warnings.size(), 1u);
    EXPECT_EQ(c.warnings[0],
              "map patterns '*b' and 'a*' match some names equally well (e.g. 'ab'); Shoal uses '*b' for "
              "them, where Hazelcast would reject the name");
    // Patterns that cannot share a name, or differ in length, are no tie.
    EXPECT_TRUE(load_yaml("shoal:\n  map:\n    \"a*\": {}\n    \"b*\": {}\n    \"*-audit\": {}\n    \"ab*\": {}\n")
                    .warnings.empty());
}

}  // namespace
}  // namespace shoal::config
