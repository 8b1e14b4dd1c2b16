// Record: one allocation per entry; keys and values come back exactly as given, packed or not.
#include "map/record.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "map/data.h"

namespace shoal::map {
namespace {

struct Destroy {
    void operator()(Record* r) const { Record::destroy(r); }
};
using RecordPtr = std::unique_ptr<Record, Destroy>;

RecordPtr make(std::string_view key, std::string_view value, Record::Times times = {}) {
    return RecordPtr(Record::create(42, key, value, times));
}

std::string key_of(const Record& r) {
    std::string out;
    r.copy_key_to(out);
    return out;
}

const std::string kKey(key_identity(string_data("key:0000000042")));
const std::string kValue = bytes_data(std::string(100, 'v'));

TEST(Record, AStringKeyWithA100ByteValueTakes125Bytes) {
    const RecordPtr r = make(kKey, kValue);
    EXPECT_EQ(r->stored_bytes(), 125u);  // 9-byte header + 15 + 101: the 128-byte size class
    EXPECT_EQ(r->hash(), 42u);
    EXPECT_EQ(key_of(*r), kKey);
    EXPECT_EQ(r->value_string(), kValue);
    EXPECT_EQ(r->key_size(), kKey.size());
    EXPECT_EQ(r->value_size(), kValue.size());
    EXPECT_TRUE(r->key_equals(kKey));
    EXPECT_TRUE(r->value_equals(kValue));
    EXPECT_FALSE(r->key_equals(key_identity(string_data("key:0000000043"))));
    EXPECT_FALSE(r->value_equals(bytes_data(std::string(100, 'w'))));
}

TEST(Record, BytesThatDoNotPackAreKeptAsGiven) {
    std::string value = bytes_data("abc");
    value[0] = 1;  // a partition hash
    const std::string key = "\x01\x02\x03";  // shorter than any Data
    const RecordPtr r = make(key, value);
    EXPECT_EQ(r->stored_bytes(), 9 + key.size() + value.size());
    EXPECT_EQ(key_of(*r), key);
    EXPECT_EQ(r->value_string(), value);
    EXPECT_TRUE(r->key_equals(key));
    EXPECT_TRUE(r->value_equals(value));
    EXPECT_FALSE(r->value_equals(bytes_data("abc")));  // the same without the partition hash
}

TEST(Record, LargeEntriesUseFourByteSizes) {
    const std::string big = bytes_data(std::string(70000, 'b'));
    const RecordPtr r = make(kKey, big);
    EXPECT_EQ(r->stored_bytes(), 13 + 15 + big.size() - 11);
    EXPECT_EQ(r->value_string(), big);
    EXPECT_TRUE(r->key_equals(kKey));
}

TEST(Record, TimesSitBetweenHeaderAndKey) {
    Record::Times times{5000, 300, 4000};
    const RecordPtr r = make(kKey, kValue, times);
    EXPECT_EQ(r->stored_bytes(), 125u + 24);
    EXPECT_TRUE(r->has_time_limits());
    EXPECT_EQ(r->expire_at_ms(), 5000);
    EXPECT_EQ(r->max_idle_ms(), 300);
    EXPECT_EQ(r->last_access_ms(), 4000);
    EXPECT_EQ(key_of(*r), kKey);
    EXPECT_EQ(r->value_string(), kValue);
    EXPECT_FALSE(r->expired(4299));
    EXPECT_TRUE(r->expired(4300));  // idle for max_idle_ms
    r->touch(4299);
    EXPECT_FALSE(r->expired(4500));
    EXPECT_TRUE(r->expired(5000));  // the TTL
}

TEST(Record, InPlaceOverwriteNeedsTheSameStoredForm) {
    const RecordPtr r = make(kKey, kValue);
    const std::string same_size = bytes_data(std::string(100, 'w'));
    ASSERT_TRUE(r->fits_in_place(same_size, {}));
    r->overwrite_value(same_size, {});
    EXPECT_EQ(r->value_string(), same_size);
    EXPECT_TRUE(r->key_equals(kKey));

    // The same total size but unpackable (a partition hash): its stored form is 11 bytes longer.
    std::string hashed = bytes_data(std::string(100, 'h'));
    hashed[0] = 9;
    EXPECT_FALSE(r->fits_in_place(hashed, {}));
    // A packable value whose stored size equals a raw one's does not fit a raw record either.
    const RecordPtr raw = make(kKey, std::string(101, 'r'));
    EXPECT_FALSE(raw->fits_in_place(kValue, {}));
    EXPECT_FALSE(r->fits_in_place(same_size, Record::Times{1, 0, 0}));  // time fields differ
}

}  // namespace
}  // namespace shoal::map
