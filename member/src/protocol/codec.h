// The client protocol's parameter encoding, driven by each message's field list.
//
// A message, response, event or custom type is a struct with `kName` and a member template
// `fields(v)` that names its parameters in protocol-definition order: `v(thread_id); v(name);`.
// Fixed-size parameters (bool, uint8_t, int32_t, int64_t, Uuid, optional<Uuid>) are packed into
// the initial frame after the header; variable ones follow as frames in order:
//   std::string                  String, Data or byte[]: one frame
//   std::optional<X>             nullable: an IS_NULL frame, else X
//   std::vector<fixed>           one packed frame (List_Integer, List_Long, List_UUID)
//   std::vector<X>               BEGIN, each X, END (List_Data, List_String, List of custom)
//   std::vector<pair<K, V>>      BEGIN, K V K V ..., END (EntryList, Map)
//   OwnerPartitions              EntryList<UUID, List<int>>: BEGIN, packed ints per entry, END,
//                                then the packed UUIDs of the keys
//   custom type                  BEGIN, its fixed fields as one frame (if it has any), its
//                                variable fields, END
// Wrapping a field as `v(since(x))` marks one added in a later protocol version: decoding leaves
// the default when an older peer did not send it. Decoding is bounds-checked throughout and
// throws util::DecodeError naming the message and what was missing; unknown trailing
// parameters (a newer peer) are skipped, inside custom types up to their END frame.
#pragma once

#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "protocol/fixed_codec.h"
#include "protocol/frame.h"
#include "util/bytes.h"
#include "util/uuid.h"

namespace shoal::protocol {

// EntryList<UUID, List<Integer>>: partition ids per owner (PartitionsView).
struct OwnerPartitions {
    std::vector<std::pair<util::Uuid, std::vector<std::int32_t>>> entries;
    friend bool operator==(const OwnerPartitions&, const OwnerPartitions&) = default;
};

template <typename T>
struct Since {
    T& field;
};
template <typename T>
Since<T> since(T& field) {
    return Since<T>{field};
}

namespace detail {

struct NoOpVisitor {
    template <typename T>
    void operator()(const T&) {}
};

template <typename T>
concept FixedField = std::same_as<T, bool> || std::same_as<T, std::uint8_t> || std::same_as<T, std::int32_t> ||
                     std::same_as<T, std::int64_t> || std::same_as<T, util::Uuid> ||
                     std::same_as<T, std::optional<util::Uuid>>;

template <typename T>
concept CustomType = requires(T& t, NoOpVisitor& v) {
    { T::kName };
    t.fields(v);
};

template <typename T>
constexpr std::size_t fixed_size() {
    if constexpr (std::same_as<T, bool> || std::same_as<T, std::uint8_t>) return 1;
    else if constexpr (std::same_as<T, std::int32_t>) return 4;
    else if constexpr (std::same_as<T, std::int64_t>) return 8;
    else return kUuidSize;
}

template <typename T>
struct IsPair : std::false_type {};
template <typename K, typename V>
struct IsPair<std::pair<K, V>> : std::true_type {};

template <typename T>
struct IsSince : std::false_type {};
template <typename T>
struct IsSince<Since<T>> : std::true_type {};

struct FixedFieldCounter {
    int fixed = 0;
    template <typename F>
    void operator()(const F&) {
        if constexpr (IsSince<F>::value) {
            if constexpr (FixedField<std::remove_cvref_t<decltype(std::declval<F>().field)>>) ++fixed;
        } else if constexpr (FixedField<F>) {
            ++fixed;
        }
    }
};

// True when the custom type packs fixed fields into a frame of its own.
template <CustomType T>
bool has_fixed_fields() {
    static const bool has = [] {
        FixedFieldCounter counter;
        T sample{};
        sample.fields(counter);
        return counter.fixed > 0;
    }();
    return has;
}

// ---- encoding ----------------------------------------------------------------------------

class FieldWriter {
public:
    // Fixed fields go to `fixed` (appended), variable frames to `frames`.
    FieldWriter(std::string& fixed, std::vector<Frame>& frames) : fixed_(fixed), frames_(frames) {}

    template <typename T>
    void operator()(const Since<T>& f) {
        (*this)(f.field);
    }

    template <FixedField T>
    void operator()(const T& v) {
        const std::size_t at = fixed_.size();
        fixed_.resize(at + fixed_size<T>());
        put_fixed(fixed_, at, v);
    }

    void operator()(const std::string& v) { frames_.push_back(Frame{0, v}); }

    template <typename T>
    void operator()(const std::optional<T>& v) requires(!FixedField<std::optional<T>>) {
        if (!v) {
            frames_.push_back(Frame{flag::kIsNull, {}});
        } else {
            (*this)(*v);
        }
    }

    template <typename T>
    void operator()(const std::vector<T>& list) {
        if constexpr (FixedField<T>) {
            Frame frame;
            frame.content.resize(list.size() * fixed_size<T>());
            for (std::size_t i = 0; i < list.size(); ++i) put_fixed(frame.content, i * fixed_size<T>(), list[i]);
            frames_.push_back(std::move(frame));
        } else {
            frames_.push_back(Frame{flag::kBeginDataStructure, {}});
            for (const auto& item : list) {
                if constexpr (IsPair<T>::value) {
                    (*this)(item.first);
                    (*this)(item.second);
                } else {
                    (*this)(item);
                }
            }
            frames_.push_back(Frame{flag::kEndDataStructure, {}});
        }
    }

    void operator()(const OwnerPartitions& v) {
        frames_.push_back(Frame{flag::kBeginDataStructure, {}});
        std::vector<util::Uuid> keys;
        for (const auto& [owner, partitions] : v.entries) {
            (*this)(partitions);
            keys.push_back(owner);
        }
        frames_.push_back(Frame{flag::kEndDataStructure, {}});
        (*this)(keys);
    }

    template <CustomType T>
    void operator()(const T& v) {
        frames_.push_back(Frame{flag::kBeginDataStructure, {}});
        std::string fixed;
        std::vector<Frame> frames;
        FieldWriter inner(fixed, frames);
        const_cast<T&>(v).fields(inner);  // the writer only reads
        if (has_fixed_fields<T>()) frames_.push_back(Frame{0, std::move(fixed)});
        for (auto& f : frames) frames_.push_back(std::move(f));
        frames_.push_back(Frame{flag::kEndDataStructure, {}});
    }

private:
    template <typename T>
    static void put_fixed(std::string& out, std::size_t at, const T& v) {
        if constexpr (std::same_as<T, bool>) out[at] = v ? 1 : 0;
        else if constexpr (std::same_as<T, util::Uuid>) write_uuid(out, at, v);
        else if constexpr (std::same_as<T, std::optional<util::Uuid>>) write_uuid(out, at, v);
        else write_le<T>(out, at, v);
    }

    std::string& fixed_;
    std::vector<Frame>& frames_;
};

// ---- decoding ----------------------------------------------------------------------------

class FieldReader {
public:
    // Reads fixed fields from `fixed` starting at `offset`, variable ones from frames[next...].
    FieldReader(const char* what, const std::string& fixed, std::size_t offset, const std::vector<Frame>& frames,
                std::size_t& next, bool in_custom)
        : what_(what), fixed_(fixed), offset_(offset), frames_(frames), next_(next), in_custom_(in_custom) {}

    template <typename T>
    void operator()(Since<T> f) {
        if constexpr (FixedField<T>) {
            if (offset_ + fixed_size<T>() > fixed_.size()) return;  // an older peer: keep the default
        } else {
            if (next_ >= frames_.size() || (in_custom_ && frames_[next_].is_end())) return;
        }
        (*this)(f.field);
    }

    template <FixedField T>
    void operator()(T& v) {
        if (offset_ + fixed_size<T>() > fixed_.size()) {
            throw util::DecodeError(std::string(what_) + ": fixed-size parameters truncated (need " +
                                    std::to_string(offset_ + fixed_size<T>()) + " bytes, frame has " +
                                    std::to_string(fixed_.size()) + ")");
        }
        if constexpr (std::same_as<T, bool>) v = fixed_[offset_] != 0;
        else if constexpr (std::same_as<T, util::Uuid>) {
            auto uuid = read_uuid(fixed_, offset_);
            if (!uuid) throw util::DecodeError(std::string(what_) + ": a UUID that must not be null is null");
            v = *uuid;
        } else if constexpr (std::same_as<T, std::optional<util::Uuid>>) v = read_uuid(fixed_, offset_);
        else v = read_le<T>(fixed_, offset_);
        offset_ += fixed_size<T>();
    }

    void operator()(std::string& v) {
        const Frame& f = next("a string or data frame");
        if (f.is_null() || f.is_begin() || f.is_end()) {
            throw util::DecodeError(std::string(what_) + ": expected a string or data frame, found a " + kind(f) + " frame");
        }
        v = f.content;
    }

    template <typename T>
    void operator()(std::optional<T>& v) requires(!FixedField<std::optional<T>>) {
        if (peek("a nullable parameter").is_null()) {
            ++next_;
            v.reset();
            return;
        }
        T value{};
        (*this)(value);
        v = std::move(value);
    }

    template <typename T>
    void operator()(std::vector<T>& list) {
        list.clear();
        if constexpr (FixedField<T>) {
            const Frame& f = next("a list frame");
            if (f.is_null() || f.is_begin() || f.is_end() || f.content.size() % fixed_size<T>() != 0) {
                throw util::DecodeError(std::string(what_) + ": malformed list of fixed-size items (" +
                                        std::to_string(f.content.size()) + " bytes)");
            }
            const std::size_t n = f.content.size() / fixed_size<T>();
            list.resize(n);
            for (std::size_t i = 0; i < n; ++i) {
                std::size_t at = i * fixed_size<T>();
                FieldReader item(what_, f.content, at, frames_, next_, false);
                item(list[i]);
            }
        } else {
            expect_begin("a list");
            while (!peek("the end of a list").is_end()) {
                T item{};
                if constexpr (IsPair<T>::value) {
                    (*this)(item.first);
                    (*this)(item.second);
                } else {
                    (*this)(item);
                }
                list.push_back(std::move(item));
            }
            ++next_;  // END
        }
    }

    void operator()(OwnerPartitions& v) {
        std::vector<std::vector<std::int32_t>> values;
        (*this)(values);
        std::vector<util::Uuid> keys;
        (*this)(keys);
        if (keys.size() != values.size()) {
            throw util::DecodeError(std::string(what_) + ": " + std::to_string(keys.size()) + " owners for " +
                                    std::to_string(values.size()) + " partition lists");
        }
        v.entries.clear();
        for (std::size_t i = 0; i < keys.size(); ++i) v.entries.emplace_back(keys[i], std::move(values[i]));
    }

    template <CustomType T>
    void operator()(T& v) {
        expect_begin(T::kName);
        static const std::string kEmpty;
        const std::string* fixed = &kEmpty;
        if (has_fixed_fields<T>()) {
            const Frame& f = next(T::kName);
            if (f.is_null() || f.is_begin() || f.is_end()) {
                throw util::DecodeError(std::string(what_) + ": " + T::kName + " lacks its fixed-size fields");
            }
            fixed = &f.content;
        }
        FieldReader inner(what_, *fixed, 0, frames_, next_, true);
        v.fields(inner);
        // Skip what a newer peer added, up to our END.
        for (int depth = 1; depth > 0;) {
            const Frame& f = next(T::kName);
            if (f.is_end()) --depth;
            else if (f.is_begin()) ++depth;
        }
    }

private:
    static const char* kind(const Frame& f) {
        return f.is_null() ? "null" : f.is_begin() ? "begin" : f.is_end() ? "end" : "data";
    }
    const Frame& peek(const char* wanted) const {
        if (next_ >= frames_.size()) {
            throw util::DecodeError(std::string(what_) + ": message ends where " + wanted + " was expected");
        }
        return frames_[next_];
    }
    const Frame& next(const char* wanted) {
        const Frame& f = peek(wanted);
        ++next_;
        return f;
    }
    void expect_begin(const char* wanted) {
        const Frame& f = next(wanted);
        if (!f.is_begin()) {
            throw util::DecodeError(std::string(what_) + ": expected the begin frame of " + wanted + ", found a " +
                                    kind(f) + " frame");
        }
    }

    const char* what_;
    const std::string& fixed_;
    std::size_t offset_;
    const std::vector<Frame>& frames_;
    std::size_t& next_;
    bool in_custom_;
};

template <typename M>
ClientMessage encode_message(const M& m, std::int64_t correlation_id, std::size_t header_size,
                             std::int32_t partition_id, std::uint16_t extra_flags) {
    std::string initial(header_size, '\0');
    write_le<std::int32_t>(initial, kTypeOffset, M::kType);
    write_le<std::int64_t>(initial, kCorrelationIdOffset, correlation_id);
    if (header_size == kResponseHeaderSize) {
        initial[kBackupAcksOffset] = 0;
    } else {
        write_le<std::int32_t>(initial, kPartitionIdOffset, partition_id);
    }
    // The initial frame is kept apart while variable frames are appended (no reference into a
    // growing vector).
    std::vector<Frame> rest;
    FieldWriter writer(initial, rest);
    const_cast<M&>(m).fields(writer);  // the writer only reads
    ClientMessage message;
    message.frames.reserve(rest.size() + 1);
    message.frames.push_back(Frame{static_cast<std::uint16_t>(flag::kUnfragmented | extra_flags), std::move(initial)});
    for (auto& f : rest) message.frames.push_back(std::move(f));
    return message;
}

template <typename M>
M decode_message(const ClientMessage& message, std::size_t header_size) {
    if (!message.has_header(header_size)) {
        throw util::DecodeError(std::string(M::kName) + ": initial frame shorter than the " +
                                std::to_string(header_size) + "-byte header");
    }
    M m{};
    std::size_t next = 1;
    FieldReader reader(M::kName, message.frames[0].content, header_size, message.frames, next, false);
    m.fields(reader);
    return m;
}

}  // namespace detail

template <typename M>
ClientMessage encode_request(const M& m, std::int64_t correlation_id, std::int32_t partition_id = -1) {
    return detail::encode_message(m, correlation_id, kRequestHeaderSize, partition_id, 0);
}
template <typename M>
M decode_request(const ClientMessage& message) {
    return detail::decode_message<M>(message, kRequestHeaderSize);
}
template <typename M>
ClientMessage encode_response(const M& m, std::int64_t correlation_id) {
    return detail::encode_message(m, correlation_id, kResponseHeaderSize, -1, 0);
}
template <typename M>
M decode_response(const ClientMessage& message) {
    return detail::decode_message<M>(message, kResponseHeaderSize);
}
template <typename M>
ClientMessage encode_event(const M& m, std::int64_t correlation_id, std::int32_t partition_id = -1) {
    return detail::encode_message(m, correlation_id, kEventHeaderSize, partition_id, flag::kIsEvent);
}
template <typename M>
M decode_event(const ClientMessage& message) {
    return detail::decode_message<M>(message, kEventHeaderSize);
}

}  // namespace shoal::protocol
