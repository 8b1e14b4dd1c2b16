#include "config/config_values.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <charconv>

#include "config/config_loader.h"

namespace shoal::config {
namespace {

// Long or binary values are cut and escaped so an error line stays one readable line.
std::string quoted(std::string_view text) {
    constexpr std::size_t kMaxShown = 80;
    std::string out = "'";
    for (std::size_t i = 0; i < text.size() && i < kMaxShown; ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x20 || c == 0x7f) {
            constexpr char kHex[] = "0123456789abcdef";
            out += "\\x";
            out.push_back(kHex[c >> 4]);
            out.push_back(kHex[c & 0xf]);
        } else {
            out.push_back(static_cast<char>(c));
        }
    }
    if (text.size() > kMaxShown) out += "...";
    return out + "'";
}

std::string described(const RawValue& value) {
    if (value.is_map) return "a map";
    if (value.is_list) return "a list";
    if (value.text.empty()) return "nothing";
    return quoted(value.text);
}

std::string prefix(const RawValue& value) {
    std::string out = value.where + ": ";
    if (!value.key.empty()) out += "'" + value.key + "' ";
    return out;
}

std::string trimmed(std::string_view text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos) return {};
    const auto last = text.find_last_not_of(" \t");
    return std::string(text.substr(first, last - first + 1));
}

// Optimal string alignment distance: Levenshtein plus swapping two neighbours as one edit,
// the commonest typo in key names ("netwrok").
std::size_t edit_distance(const std::string& a, const std::string& b) {
    std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
    for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
    for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
            }
        }
    }
    return d[a.size()][b.size()];
}

// Length of the UTF-8 sequence starting at text[i], or 0 when it is not valid UTF-8.
std::size_t utf8_length(std::string_view text, std::size_t i) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t length = 0;
    unsigned min = 0;
    if (c < 0x80) return 1;
    if ((c & 0xe0) == 0xc0)
        length = 2, min = 0x80;
    else if ((c & 0xf0) == 0xe0)
        length = 3, min = 0x800;
    else if ((c & 0xf8) == 0xf0)
        length = 4, min = 0x10000;
    else
        return 0;
    if (i + length > text.size()) return 0;
    unsigned code = c & (0xff >> (length + 1));
    for (std::size_t k = 1; k < length; ++k) {
        const auto next = static_cast<unsigned char>(text[i + k]);
        if ((next & 0xc0) != 0x80) return 0;
        code = (code << 6) | (next & 0x3f);
    }
    const bool surrogate = code >= 0xd800 && code <= 0xdfff;
    return code < min || code > 0x10ffff || surrogate ? 0 : length;
}

// Text values must survive --print-config and a reload unchanged, and read sensibly in logs:
// valid UTF-8 without control characters other than tab and line breaks (a PEM
// ca-certificate spans lines), and no ${...} placeholder left unresolved.
void check_text(const RawValue& value, std::string_view text) {
    if (!is_printable_text(text, true)) fail_value(value, "must be printable UTF-8 text");
    if (text.find("${") != std::string_view::npos) fail_value(value, "must not hold an unresolved ${...} placeholder");
}

}  // namespace

bool is_printable_text(std::string_view text, bool allow_line_breaks) {
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        const bool allowed_control = allow_line_breaks && (c == '\t' || c == '\n' || c == '\r');
        const std::size_t length = utf8_length(text, i);
        if (((c < 0x20 || c == 0x7f) && !allowed_control) || length == 0) return false;
        i += length;
    }
    return true;
}

RawValue RawValue::of(std::string text, std::string where, std::string key) {
    RawValue value;
    value.text = std::move(text);
    value.where = std::move(where);
    value.key = std::move(key);
    return value;
}

RawValue RawValue::item(std::size_t i, std::string item_text) const {
    return of(std::move(item_text), i < item_wheres.size() ? item_wheres[i] : where,
              key + "[" + std::to_string(i) + "]");
}

void fail_value(const RawValue& value, std::string_view expectation) {
    throw ConfigError(prefix(value) + std::string(expectation) + ", got " + described(value));
}

void fail_at(const RawValue& value, std::string_view problem) {
    throw ConfigError(prefix(value) + std::string(problem));
}

void fail_where(const RawValue& value, std::string_view problem) {
    throw ConfigError(value.where + ": " + std::string(problem));
}

const std::string& parse_scalar(const RawValue& value) {
    if (value.is_list || value.is_map) fail_value(value, "must be a single value");
    check_text(value, value.text);
    return value.text;
}

bool parse_bool(const RawValue& value) {
    const std::string upper = to_upper(value.text);
    if (!value.is_list && !value.is_map && upper == "TRUE") return true;
    if (!value.is_list && !value.is_map && upper == "FALSE") return false;
    fail_value(value, "must be true or false");
}

long parse_int(const RawValue& value, long min, long max) {
    long result = 0;
    const std::string& s = value.text;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), result);
    const bool whole = ec == std::errc() && end == s.data() + s.size() && !s.empty();
    if (value.is_list || value.is_map || !whole || result < min || result > max) {
        fail_value(value, "must be an integer between " + std::to_string(min) + " and " + std::to_string(max));
    }
    return result;
}

std::string parse_enum(const RawValue& value, const std::vector<std::string>& choices) {
    const std::string upper = to_upper(value.text);
    const bool known = std::find(choices.begin(), choices.end(), upper) != choices.end();
    if (value.is_list || value.is_map || !known) fail_value(value, "must be one of " + join(choices, ", "));
    return upper;
}

std::vector<std::string> parse_list(const RawValue& value) {
    if (value.is_map) fail_value(value, "must be a list");
    if (value.is_list) {
        for (std::size_t i = 0; i < value.list.size(); ++i) check_text(value.item(i, value.list[i]), value.list[i]);
        return value.list;
    }
    check_text(value, value.text);
    std::vector<std::string> items;
    std::size_t start = 0;
    while (start <= value.text.size()) {
        const auto comma = std::min(value.text.find(',', start), value.text.size());
        std::string item = trimmed(std::string_view(value.text).substr(start, comma - start));
        if (!item.empty()) items.push_back(std::move(item));
        start = comma + 1;
    }
    return items;
}

std::string canonical_log_level(std::string_view name) {
    const std::string lower = to_lower(name);
    if (lower == "debug" || lower == "fine" || lower == "finer" || lower == "finest") return "debug";
    if (lower == "info") return "info";
    if (lower == "warn" || lower == "warning") return "warn";
    if (lower == "error" || lower == "severe") return "error";
    return {};
}

bool is_ip_literal(const std::string& text) {
    unsigned char buffer[16];
    return inet_pton(AF_INET, text.c_str(), buffer) == 1 || inet_pton(AF_INET6, text.c_str(), buffer) == 1;
}

std::string to_upper(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

std::string to_lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool starts_with(std::string_view text, std::string_view prefix) {
    return text.substr(0, prefix.size()) == prefix;
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
    std::string out;
    for (const auto& item : items) {
        if (!out.empty()) out += separator;
        out += item;
    }
    return out;
}

std::string nearest(std::string_view name, const std::vector<std::string>& candidates) {
    constexpr std::size_t kMaxCompared = 64;  // longer names are no typo of a key
    if (name.size() > kMaxCompared) return {};
    const std::string lower = to_lower(name);
    std::string best;
    std::size_t best_distance = 3;
    for (const auto& candidate : candidates) {
        if (candidate.size() > kMaxCompared) continue;
        const std::size_t d = edit_distance(lower, to_lower(candidate));
        if (d < best_distance && 2 * d < name.size()) {
            best_distance = d;
            best = candidate;
        }
    }
    return best;
}

std::string did_you_mean(std::string_view name, const std::vector<std::string>& candidates) {
    const std::string best = nearest(name, candidates);
    return best.empty() ? "" : " (did you mean '" + best + "'?)";
}

}  // namespace shoal::config
