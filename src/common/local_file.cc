#include "common/local_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace certfleet {
namespace {

// "x is a link to y, which does not exist" when `path` itself is there as a link.
std::string Dangling(const std::string& path) {
  char target[4096];
  const ssize_t n = ::readlink(path.c_str(), target, sizeof(target) - 1);
  if (n <= 0) return path + " does not exist";
  return path + " is a link to " + std::string(target, static_cast<size_t>(n)) +
         ", which does not exist";
}

Error OpenError(const std::string& path, int err) {
  switch (err) {
    case ENOENT:
    case ENOTDIR:
      return Error{ErrorCode::kNotFound, Dangling(path)};
    case EACCES:
    case EPERM:
      return Error{ErrorCode::kPermissionDenied, path + " is not readable: " + std::strerror(err)};
    case ELOOP:
      return Error{ErrorCode::kInvalidArgument, path + ": too many levels of symbolic links"};
    default:
      return Error{ErrorCode::kIo, "cannot open " + path + ": " + std::strerror(err)};
  }
}

struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

// An open regular file, with its size.
Result<std::pair<int, off_t>> OpenRegular(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) return Fail(OpenError(path, errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    const int err = errno;
    ::close(fd);
    return Fail(ErrorCode::kIo, "cannot stat " + path + ": " + std::strerror(err));
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return Fail(ErrorCode::kInvalidArgument, path + " is not a regular file");
  }
  return std::pair{fd, st.st_size};
}

}  // namespace

Result<std::string> ReadLocalFile(const std::string& path, std::size_t max_bytes) {
  auto opened = OpenRegular(path);
  if (!opened) return Fail(opened.error());
  Fd fd{opened->first};
  if (static_cast<std::size_t>(opened->second) > max_bytes) {
    return Fail(ErrorCode::kInvalidArgument,
                path + " is larger than " + std::to_string(max_bytes) + " bytes");
  }
  std::string content(static_cast<std::size_t>(opened->second), '\0');
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::read(fd.fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Fail(ErrorCode::kIo, "cannot read " + path + ": " + std::strerror(errno));
    if (n == 0) break;  // shrank while we read
    done += static_cast<std::size_t>(n);
  }
  content.resize(done);
  return content;
}

Status CheckReadable(const std::string& path) {
  auto opened = OpenRegular(path);
  if (!opened) return Fail(opened.error());
  ::close(opened->first);
  return Ok();
}

}  // namespace certfleet
