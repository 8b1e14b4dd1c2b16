#include "persistence/append_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace shoal::persistence {
namespace {

[[noreturn]] void fail(const std::string& what, const std::filesystem::path& path) {
    throw std::system_error(errno, std::generic_category(), what + " " + path.string());
}

// Owns a file descriptor; closes it on every path out.
class Descriptor {
public:
    Descriptor(const std::filesystem::path& path, int flags, mode_t mode = 0644) : fd_(::open(path.c_str(), flags | O_CLOEXEC, mode)) {
        if (fd_ < 0) fail("cannot open", path);
    }
    ~Descriptor() {
        if (fd_ >= 0) ::close(fd_);
    }
    Descriptor(const Descriptor&) = delete;
    Descriptor& operator=(const Descriptor&) = delete;
    int get() const { return fd_; }

private:
    int fd_;
};

void write_all(int fd, std::string_view bytes, const std::filesystem::path& path) {
    while (!bytes.empty()) {
        const ssize_t n = ::write(fd, bytes.data(), bytes.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            fail("cannot write", path);
        }
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
}

class PosixAppendFile final : public AppendFile {
public:
    explicit PosixAppendFile(const std::filesystem::path& path)
        : path_(path), fd_(path, O_WRONLY | O_CREAT | O_APPEND) {
        struct stat st {};
        if (::fstat(fd_.get(), &st) != 0) fail("cannot stat", path_);
        size_ = static_cast<std::uint64_t>(st.st_size);
    }
    void append(std::string_view bytes) override {
        write_all(fd_.get(), bytes, path_);
        size_ += bytes.size();
    }
    void sync() override {
        if (::fdatasync(fd_.get()) != 0) fail("cannot sync", path_);
    }
    std::uint64_t size() const override { return size_; }

private:
    std::filesystem::path path_;
    Descriptor fd_;
    std::uint64_t size_ = 0;
};

}  // namespace

std::unique_ptr<AppendFile> open_append_file(const std::filesystem::path& path) {
    return std::make_unique<PosixAppendFile>(path);
}

std::string read_file(const std::filesystem::path& path) {
    Descriptor fd(path, O_RDONLY);
    std::string out;
    char buffer[1 << 16];
    for (;;) {
        const ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
        if (n < 0) {
            if (errno == EINTR) continue;
            fail("cannot read", path);
        }
        if (n == 0) return out;
        out.append(buffer, static_cast<std::size_t>(n));
    }
}

void truncate_file(const std::filesystem::path& path, std::uint64_t size) {
    Descriptor fd(path, O_WRONLY);
    if (::ftruncate(fd.get(), static_cast<off_t>(size)) != 0) fail("cannot truncate", path);
    if (::fdatasync(fd.get()) != 0) fail("cannot sync", path);
}

void sync_directory(const std::filesystem::path& dir) {
    Descriptor fd(dir, O_RDONLY | O_DIRECTORY);
    if (::fsync(fd.get()) != 0) fail("cannot sync directory", dir);
}

void write_file_atomically(const std::filesystem::path& path, std::string_view contents) {
    std::filesystem::path temporary = path;
    temporary += ".tmp";
    {
        Descriptor fd(temporary, O_WRONLY | O_CREAT | O_TRUNC);
        write_all(fd.get(), contents, temporary);
        if (::fsync(fd.get()) != 0) fail("cannot sync", temporary);
    }
    if (::rename(temporary.c_str(), path.c_str()) != 0) fail("cannot rename onto", path);
    sync_directory(path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path());
}

}  // namespace shoal::persistence
