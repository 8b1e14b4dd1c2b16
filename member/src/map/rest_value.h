// RestValue: a value written over REST with a Content-Type Shoal has no native Data type for
// (image/png, application/xml, ...), stored so that the bytes and the Content-Type both survive.
//
// It is a Hazelcast IdentifiedDataSerializable Data (serializer type id -2) with Shoal's own
// factory and class ids. The bytes after the 8-byte Data header ([int32 partition hash = 0]
// [int32 type id = -2]), all integers big-endian as Hazelcast writes them:
//
//     [uint8  identified = 1]
//     [int32  factoryId  = kRestValueFactoryId (-37)]
//     [int32  classId    = kRestValueClassId (1)]
//     [int32  length][length bytes: the value]          (ObjectDataOutput.writeByteArray)
//     [int32  length][length bytes: the Content-Type]   (ObjectDataOutput.writeByteArray)
//
// This is the field order of Hazelcast's own member-side RestValue (value, then content type),
// but the ids are Shoal's: a Java client that reads such an entry needs a DataSerializableFactory
// registered for factory -37 whose class 1 reads two byte arrays. Nothing else in Shoal depends
// on these ids; they are part of the on-disk and wire format, so never change them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace shoal::map {

inline constexpr std::int32_t kRestValueFactoryId = -37;
inline constexpr std::int32_t kRestValueClassId = 1;

struct RestValue {
    std::string content_type;
    std::string value;

    friend bool operator==(const RestValue&, const RestValue&) = default;
};

// The Data of a REST value.
std::string rest_value_data(std::string_view content_type, std::string_view value);

// The REST value a Data holds; nullopt when it is not one (another type, other ids, or
// truncated / trailing bytes).
std::optional<RestValue> read_rest_value(std::string_view data);

}  // namespace shoal::map
