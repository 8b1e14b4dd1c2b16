// shoal-member's argument parsing.
#include "app/command_line.h"

#include <gtest/gtest.h>

namespace shoal::app {
namespace {

CommandLine parse(std::vector<const char*> args) {
    args.insert(args.begin(), "shoal-member");
    return parse_command_line(static_cast<int>(args.size()), args.data());
}

TEST(CommandLine, DefaultsToRunWithNoConfigFile) {
    const auto cl = parse({});
    EXPECT_EQ(cl.action, CommandLine::Action::kRun);
    EXPECT_FALSE(cl.config_file.has_value());
}

TEST(CommandLine, ConfigAndProperties) {
    const auto cl = parse({"--config", "/etc/x.yaml", "-Da.b=c", "-Dflag", "-Dempty="});
    EXPECT_EQ(cl.config_file, "/etc/x.yaml");
    EXPECT_EQ(cl.properties, (std::vector<std::string>{"a.b=c", "flag=true", "empty="}));
    EXPECT_EQ(parse({"--config=/y.yaml"}).config_file, "/y.yaml");
}

TEST(CommandLine, Actions) {
    EXPECT_EQ(parse({"--print-config"}).action, CommandLine::Action::kPrintConfig);
    EXPECT_EQ(parse({"--version"}).action, CommandLine::Action::kVersion);
    EXPECT_EQ(parse({"--help"}).action, CommandLine::Action::kHelp);
    const auto v = parse({"--validate-config", "f.yaml"});
    EXPECT_EQ(v.action, CommandLine::Action::kValidateConfig);
    EXPECT_EQ(v.config_file, "f.yaml");
}

TEST(CommandLine, ErrorsNameTheArgument) {
    try {
        parse({"--bogus"});
        FAIL() << "no error";
    } catch (const std::invalid_argument& e) {
        EXPECT_STREQ(e.what(), "unknown argument '--bogus'");
    }
    EXPECT_THROW(parse({"--config"}), std::invalid_argument);
    EXPECT_THROW(parse({"--validate-config"}), std::invalid_argument);
    EXPECT_THROW(parse({"-D"}), std::invalid_argument);
}

}  // namespace
}  // namespace shoal::app
