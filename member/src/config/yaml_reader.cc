#include "config/yaml_reader.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <optional>
#include <sstream>
#include <vector>

#include "config/config_loader.h"
#include "config/config_schema.h"
#include "config/properties.h"

namespace shoal::config {
namespace {

// The schema is at most six levels deep; anything deeper is refused before it is walked, so the
// walk's recursion has a fixed bound whatever the input.
constexpr int kMaxDepth = 16;

std::string kind_of(const YAML::Node& node) {
    if (node.IsMap()) return "a map";
    if (node.IsSequence()) return "a list";
    if (node.IsNull()) return "nothing";
    return "a single value";
}

std::string dotted(const std::string& parent, const std::string& key) {
    return parent.empty() ? key : parent + "." + key;
}

// Notes where a document starts and whether it holds anything but an empty value.
class DocumentProbe : public YAML::EventHandler {
public:
    std::optional<YAML::Mark> first;
    bool content = false;

    void OnDocumentStart(const YAML::Mark&) override {}
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark& mark, YAML::anchor_t) override { note(mark, false); }
    void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { note(mark, true); }
    void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t, const std::string&) override {
        note(mark, true);
    }
    void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                         YAML::EmitterStyle::value) override {
        note(mark, true);
    }
    void OnSequenceEnd() override {}
    void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
        note(mark, true);
    }
    void OnMapEnd() override {}

private:
    void note(const YAML::Mark& mark, bool is_content) {
        if (!first) first = mark;
        content = content || is_content;
    }
};

bool same_place(const YAML::Mark& a, const YAML::Mark& b) {
    return a.pos == b.pos && a.line == b.line && a.column == b.column;
}

class YamlReader {
public:
    YamlReader(ConfigState& state, std::string file, const std::map<std::string, std::string>& variables)
        : state_(state), file_(std::move(file)), variables_(variables) {}

    void read(const std::string& text) {
        check_one_document(text);
        const YAML::Node root = YAML::Load(text);
        if (!root.IsNull()) read_root(root);
    }

private:
    // The config is the first document; a later one with content is refused. Not YAML::LoadAll:
    // yaml-cpp 0.7 loops there for ever on a stray ',' (jbeder/yaml-cpp#1040, fixed in 0.8),
    // yielding an empty document at the same place each time, which this loop catches instead.
    void check_one_document(const std::string& text) const {
        constexpr int kMaxDocuments = 1000;
        std::istringstream in(text);
        YAML::Parser parser(in);
        std::optional<YAML::Mark> previous;
        for (int index = 0;; ++index) {
            DocumentProbe probe;
            if (!parser.HandleNextDocument(probe)) return;
            const YAML::Mark mark = probe.first.value_or(YAML::Mark::null_mark());
            if (previous && probe.first && !probe.content && same_place(*previous, mark)) {
                throw ConfigError(at(mark) + ": invalid YAML: unexpected text where a value should start");
            }
            if (index > 0 && probe.content) {
                throw ConfigError(at(mark) +
                                  ": the file holds a second YAML document; "
                                  "put everything in one document under one root key");
            }
            if (index >= kMaxDocuments) throw ConfigError(at(mark) + ": the file holds too many YAML documents");
            if (probe.first) previous = mark;
        }
    }

    std::string at(const YAML::Mark& mark) const {
        if (mark.is_null()) return file_;
        return file_ + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
    }

    void read_root(const YAML::Node& root) {
        if (!root.IsMap()) {
            throw ConfigError(at(root.Mark()) +
                              ": the file must be a map with one root key, 'shoal' or 'hazelcast', got " +
                              kind_of(root));
        }
        std::string root_key;
        for (const auto& item : root) {
            const std::string key = key_text(item.first, "the root");
            if (key != "shoal" && key != "hazelcast") {
                throw ConfigError(at(item.first.Mark()) + ": unknown root key '" + key +
                                  "': use 'shoal' or 'hazelcast'" + did_you_mean(key, {"shoal", "hazelcast"}));
            }
            if (!root_key.empty()) {
                throw ConfigError(at(item.first.Mark()) + ": second root key '" + key + "' after '" + root_key +
                                  "': the file must have exactly one root key, 'shoal' or 'hazelcast'");
            }
            root_key = key;
            read_section(item.second, "", "", key, 1);
        }
    }

    // A key must be plain text; `under` names its section for the message.
    std::string key_text(const YAML::Node& key, const std::string& under) const {
        if (!key.IsScalar()) {
            throw ConfigError(at(key.Mark()) + ": keys under " + under + " must be plain text, got " + kind_of(key));
        }
        return key.Scalar();
    }

    // `schema` is the section's schema path ("map.*"), `path` its concrete one ("map.orders"),
    // `shown` how messages name it (the root key name for the root section).
    void read_section(const YAML::Node& node, const std::string& schema, const std::string& path,
                      const std::string& shown, int depth) {
        if (depth > kMaxDepth) throw ConfigError(at(node.Mark()) + ": nesting too deep");
        if (node.IsNull()) return;  // "network:" with nothing under it keeps the defaults
        if (!node.IsMap()) {
            throw ConfigError(at(node.Mark()) + ": '" + shown + "' must be a map of keys, got " + kind_of(node));
        }
        std::map<std::string, YAML::Mark> seen;
        for (const auto& item : node) {
            const std::string key = key_text(item.first, "'" + shown + "'");
            check_unique(seen, key, item.first.Mark(), shown);
            if (schema == "properties") {
                read_property(key, item.first, item.second);
            } else if (schema == "map") {
                read_map_block(key, item.first, item.second, depth);
            } else {
                read_key(key, item.first, item.second, schema, path, shown, depth);
            }
        }
    }

    // yaml-cpp keeps both entries of a repeated key; Shoal refuses the file rather than guess.
    void check_unique(std::map<std::string, YAML::Mark>& seen, const std::string& key, const YAML::Mark& mark,
                      const std::string& shown) const {
        const auto [it, inserted] = seen.emplace(key, mark);
        if (!inserted) {
            throw ConfigError(at(mark) + ": duplicate key '" + key + "' under '" + shown + "' (first at line " +
                              std::to_string(it->second.line + 1) + ")");
        }
    }

    void read_key(const std::string& key, const YAML::Node& key_node, const YAML::Node& value,
                  const std::string& schema_parent, const std::string& parent, const std::string& shown_parent,
                  int depth) {
        // A dot inside a key would read as a path ("port.port"); only map and property names hold dots.
        const std::string schema = key.find('.') == std::string::npos ? dotted(schema_parent, key) : "";
        const std::string path = dotted(parent, key);
        if (const Field* field = field_at(schema)) {
            apply_field(state_, {field, map_name_, path}, raw(value, key_node, path));
        } else if (const Field* shortcut = short_form(schema); shortcut != nullptr && !value.IsMap()) {
            apply_field(state_, {shortcut, "", shortcut->path}, raw(value, key_node, path));
        } else if (!schema.empty() && is_section(schema)) {
            read_section(value, schema, path, path, depth + 1);
        } else {
            throw ConfigError(at(key_node.Mark()) + ": unknown key '" + key + "' under '" + shown_parent + "'" +
                              did_you_mean(key, keys_under(schema_parent)));
        }
    }

    void read_map_block(const std::string& name, const YAML::Node& key_node, const YAML::Node& value, int depth) {
        check_map_name(name, RawValue::of(name, at(key_node.Mark()), "map." + name));
        state_.origins.emplace("map." + name, at(key_node.Mark()));
        // A named block starts from the built-in defaults, not from map.default, as in Hazelcast.
        if (name != "default") state_.config.maps[name];
        map_name_ = name;
        read_section(value, "map.*", "map." + name, "map." + name, depth + 1);
        map_name_.clear();
    }

    void read_property(const std::string& name, const YAML::Node& key_node, const YAML::Node& value) {
        RawValue v = raw(value, key_node, name);
        apply_property(state_, name, v, PropertySource::kFile);
    }

    // The value as text or a list of texts, with ${name} placeholders resolved.
    RawValue raw(const YAML::Node& value, const YAML::Node& key_node, const std::string& path) {
        RawValue v;
        // An empty value has no position of its own (yaml-cpp marks the next line): use the key's.
        v.where = at(value.IsNull() || value.Mark().is_null() ? key_node.Mark() : value.Mark());
        v.key = path;
        v.append = true;
        if (value.IsScalar()) {
            v.text = substitute(value.Scalar(), v);
        } else if (value.IsSequence()) {
            v.is_list = true;
            for (const auto& item : value) {
                v.item_wheres.push_back(at(item.Mark()));
                const RawValue item_value = v.item(v.list.size(), "");
                if (!item.IsScalar()) fail_at(item_value, "must be a single value, got " + kind_of(item));
                v.list.push_back(substitute(item.Scalar(), item_value));
            }
        } else if (value.IsMap()) {
            v.is_map = true;
        }
        return v;
    }

    // Hazelcast's ${name} placeholders; a name no property defines is an error rather than
    // text passed on, since "${serviceName}" as a service name only fails much later.
    std::string substitute(const std::string& text, const RawValue& at_value) const {
        std::string out;
        std::size_t pos = 0;
        for (auto open = text.find("${"); open != std::string::npos; open = text.find("${", pos)) {
            const auto close = text.find('}', open + 2);
            if (close == std::string::npos) fail_at(at_value, "has '${' without a closing '}'");
            const std::string name = text.substr(open + 2, close - open - 2);
            const auto it = variables_.find(name);
            if (it == variables_.end()) {
                fail_at(at_value, "uses ${" + name + "}, but no property '" + name + "' is set (pass -D" + name +
                                      "=... or write the value)");
            }
            out += text.substr(pos, open - pos) + it->second;
            pos = close + 1;
        }
        return out + text.substr(pos);
    }

    ConfigState& state_;
    std::string file_;
    const std::map<std::string, std::string>& variables_;
    std::string map_name_;  // the map block being read, for "map.*." fields
};

}  // namespace

void read_yaml(ConfigState& state, const std::string& text, const std::string& file,
               const std::map<std::string, std::string>& variables) {
    const std::string name = file.empty() ? "config" : file;
    try {
        YamlReader(state, name, variables).read(text);
    } catch (const YAML::Exception& e) {
        // Syntax errors, and yaml-cpp's own nesting limit; its marks are 0-based like ours.
        std::string where = name;
        if (!e.mark.is_null()) where += ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1);
        throw ConfigError(where + ": invalid YAML: " + e.msg);
    }
}

}  // namespace shoal::config
