// CompactData: a lossless shorter form of the keys and values a record keeps.
//
// A key identity (data.h) is [int32 type id][payload] and a value is [int32 partition hash]
// [int32 type id][payload], all big-endian. The payload of Hazelcast's most used types (String,
// byte[] and the other primitive arrays) starts with an int32 holding the size of the rest. When
// it does, the type id fits in a signed byte and, for a value, the partition hash is 0 (the client
// gave none), the bytes before the payload's body are implied by one byte: the record keeps
// [int8 type id][payload body], 7 bytes shorter for a key and 11 for a value. Anything else is
// kept as given. Packing is canonical (a packable input always packs, to one form), so two inputs
// are equal exactly when their stored forms are equal.
//
// Why: with 100-byte values this takes the record of a 14-character String key from the
// allocator's 160-byte size class to its 128-byte one (Redis makes the same kind of saving with
// its sds header sizes and integer encodings).
#pragma once

#include <cstddef>
#include <string_view>

namespace shoal::map::compact {

// The two shapes a record stores.
enum class Shape {
    kKeyIdentity,  // [type id][payload]
    kValueData,    // [partition hash][type id][payload]
};

// Bytes the packed form saves: the implied prefix minus the one byte kept.
constexpr std::size_t saved_bytes(Shape shape) { return shape == Shape::kKeyIdentity ? 7 : 11; }

// True when `bytes` has the implied prefix, so pack() may be used.
bool packable(Shape shape, std::string_view bytes);

// Writes the packed form of `bytes` (bytes.size() - saved_bytes(shape) bytes) to `out`.
// Precondition: packable(shape, bytes).
void pack(Shape shape, std::string_view bytes, char* out);

// Writes the original bytes of `packed` (packed.size() + saved_bytes(shape) bytes) to `out`.
// Precondition: packed is a pack() output (at least one byte).
void unpack(Shape shape, std::string_view packed, char* out);

// True when unpack(shape, packed) == bytes, without building it.
bool equals(Shape shape, std::string_view packed, std::string_view bytes);

}  // namespace shoal::map::compact
