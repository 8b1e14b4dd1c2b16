// AppendFile: a file that only grows, the unit the persistence log writes and syncs, and the
// few file-system steps the log needs (read whole, cut, sync a directory).
//
// An interface so tests can put a file in front that "crashes" after any number of bytes and
// show that recovery cuts the torn tail; errors are std::system_error naming the path.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace shoal::persistence {

class AppendFile {
public:
    virtual ~AppendFile() = default;
    // Writes every byte (retrying short writes) at the end of the file.
    virtual void append(std::string_view bytes) = 0;
    // fdatasync: what was appended survives a machine crash once this returns.
    virtual void sync() = 0;
    virtual std::uint64_t size() const = 0;
};

// Opens (creating if needed) `path` for appending.
std::unique_ptr<AppendFile> open_append_file(const std::filesystem::path& path);

std::string read_file(const std::filesystem::path& path);
// Cuts the file to `size` bytes and syncs it.
void truncate_file(const std::filesystem::path& path, std::uint64_t size);
// Makes a file's creation, rename or removal in `dir` durable.
void sync_directory(const std::filesystem::path& dir);
// Writes `contents` to `path` so that a crash leaves either the old file or the new one whole:
// a temporary file, synced, renamed over `path`, then the directory synced.
void write_file_atomically(const std::filesystem::path& path, std::string_view contents);

}  // namespace shoal::persistence
