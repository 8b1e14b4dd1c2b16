// CompactData: the packed form of keys and values is lossless, canonical, and only used when the
// prefix it drops is really implied.
#include "map/compact_data.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "map/data.h"

namespace shoal::map::compact {
namespace {

std::string packed(Shape shape, const std::string& bytes) {
    std::string out(bytes.size() - saved_bytes(shape), '\0');
    pack(shape, bytes, out.data());
    return out;
}

std::string unpacked(Shape shape, const std::string& packed_bytes) {
    std::string out(packed_bytes.size() + saved_bytes(shape), '\0');
    unpack(shape, packed_bytes, out.data());
    return out;
}

TEST(CompactData, StringKeyAndByteArrayValuePackAndComeBackTheSame) {
    const std::string key(key_identity(string_data("key:0000000042")));
    const std::string value = bytes_data(std::string(100, 'v'));
    ASSERT_TRUE(packable(Shape::kKeyIdentity, key));
    ASSERT_TRUE(packable(Shape::kValueData, value));
    const std::string k = packed(Shape::kKeyIdentity, key);
    const std::string v = packed(Shape::kValueData, value);
    EXPECT_EQ(k.size(), 15u);  // type byte + 14 characters
    EXPECT_EQ(v.size(), 101u);
    EXPECT_EQ(unpacked(Shape::kKeyIdentity, k), key);
    EXPECT_EQ(unpacked(Shape::kValueData, v), value);
    EXPECT_TRUE(equals(Shape::kKeyIdentity, k, key));
    EXPECT_TRUE(equals(Shape::kValueData, v, value));
}

TEST(CompactData, EmptyPayloadsAndNegativeTypeIdsPack) {
    const std::string empty_string = string_data("");
    ASSERT_TRUE(packable(Shape::kValueData, empty_string));
    const std::string p = packed(Shape::kValueData, empty_string);
    EXPECT_EQ(p.size(), 1u);
    EXPECT_EQ(unpacked(Shape::kValueData, p), empty_string);
}

TEST(CompactData, WhatIsNotImpliedIsNotPacked) {
    std::string with_partition_hash = bytes_data("abc");
    with_partition_hash[3] = 7;  // a client-given partition hash must survive
    EXPECT_FALSE(packable(Shape::kValueData, with_partition_hash));
    EXPECT_FALSE(packable(Shape::kValueData, json_data("{}")));  // type id -130: not an int8
    EXPECT_FALSE(packable(Shape::kValueData, long_data(5)));     // no length prefix (and
    // a long whose high half happens to equal 4 packs, and still comes back exactly: below)
    std::string wrong_length = bytes_data("abcd");
    wrong_length.pop_back();
    EXPECT_FALSE(packable(Shape::kValueData, wrong_length));
    EXPECT_FALSE(packable(Shape::kValueData, std::string(11, '\0')));
    EXPECT_FALSE(packable(Shape::kKeyIdentity, std::string(7, '\0')));
    EXPECT_FALSE(packable(Shape::kKeyIdentity, ""));
    std::string positive_type(key_identity(string_data("x")));
    positive_type.replace(0, 4, std::string("\0\0\0\x7f", 4));  // type id 127: the largest that packs
    EXPECT_TRUE(packable(Shape::kKeyIdentity, positive_type));
    EXPECT_EQ(unpacked(Shape::kKeyIdentity, packed(Shape::kKeyIdentity, positive_type)), positive_type);
    positive_type[3] = static_cast<char>(0x80);  // 128
    EXPECT_FALSE(packable(Shape::kKeyIdentity, positive_type));
    const std::string lookalike = long_data(std::int64_t{4} << 32 | 77);
    ASSERT_TRUE(packable(Shape::kValueData, lookalike));
    EXPECT_EQ(unpacked(Shape::kValueData, packed(Shape::kValueData, lookalike)), lookalike);
}

TEST(CompactData, EqualsTellsApartEveryByteOfPrefixAndBody) {
    const std::string value = string_data("hello world");
    const std::string p = packed(Shape::kValueData, value);
    for (std::size_t i = 0; i < value.size(); ++i) {
        std::string other = value;
        other[i] = static_cast<char>(other[i] ^ 0x01);
        EXPECT_FALSE(equals(Shape::kValueData, p, other)) << "byte " << i;
    }
    EXPECT_FALSE(equals(Shape::kValueData, p, value + "x"));
    EXPECT_FALSE(equals(Shape::kValueData, p, value.substr(0, value.size() - 1)));
}

// Random inputs, half of them shaped to be packable: every packable input round-trips, and the
// packed form equals exactly the one input it came from.
TEST(CompactData, RandomInputsRoundTripAndCompareExactly) {
    std::mt19937 rng(20261201);
    for (int i = 0; i < 20000; ++i) {
        const Shape shape = (i & 1) ? Shape::kKeyIdentity : Shape::kValueData;
        std::string bytes(rng() % 40, '\0');
        for (char& c : bytes) c = static_cast<char>(rng());
        const std::size_t prefix = saved_bytes(shape) + 1;
        if ((i & 2) && bytes.size() >= prefix) {  // make it packable
            std::string shaped = shape == Shape::kValueData ? std::string(4, '\0') : std::string();
            const auto type = static_cast<std::int32_t>(static_cast<std::int8_t>(rng()));
            append_int32_be(shaped, type);
            append_int32_be(shaped, static_cast<std::int32_t>(bytes.size() - prefix));
            bytes = shaped + bytes.substr(prefix);
            ASSERT_TRUE(packable(shape, bytes));
        }
        if (!packable(shape, bytes)) continue;
        const std::string p = packed(shape, bytes);
        ASSERT_EQ(unpacked(shape, p), bytes);
        ASSERT_TRUE(equals(shape, p, bytes));
        std::string near = bytes;
        near[rng() % near.size()] ^= static_cast<char>(1 + rng() % 255);
        ASSERT_FALSE(equals(shape, p, near));
    }
}

}  // namespace
}  // namespace shoal::map::compact
