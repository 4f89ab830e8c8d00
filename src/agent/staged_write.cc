#include "agent/staged_write.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string_view>

namespace certfleet::agent {
namespace {

Status IoError(const std::string& what, const std::filesystem::path& path) {
  return Fail(ErrorCode::kIo, "cannot " + what + " " + path.string() + ": " + std::strerror(errno));
}

Status WriteAll(int fd, std::string_view content, const std::filesystem::path& path) {
  while (!content.empty()) {
    const ssize_t n = ::write(fd, content.data(), content.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return IoError("write", path);
    content.remove_prefix(static_cast<size_t>(n));
  }
  return Ok();
}

Status WriteOne(const std::filesystem::path& dir, const FileToWrite& file) {
  const std::filesystem::path target = dir / file.name;
  const std::filesystem::path temp = dir / (file.name + ".tmp-staged");
  ::unlink(temp.c_str());  // a leftover of a killed run
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, file.mode);
  if (fd < 0) return IoError("create", temp);
  Status s = ::fchmod(fd, file.mode) == 0 ? Ok() : IoError("chmod", temp);  // the umask may have narrowed it
  if (s) s = WriteAll(fd, file.content, temp);
  if (::close(fd) != 0 && s) s = IoError("close", temp);
  if (s && ::rename(temp.c_str(), target.c_str()) != 0) s = IoError("rename into place", target);
  if (!s) ::unlink(temp.c_str());
  return s;
}

}  // namespace

Status WriteFilesUnsynced(const std::filesystem::path& dir, const std::vector<FileToWrite>& files) {
  for (const auto& file : files) {
    if (auto s = WriteOne(dir, file); !s) return s;
  }
  return Ok();
}

Status SyncFileSystem(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return IoError("open", path);
  const int rc = ::syncfs(fd);
  const int saved = errno;
  ::close(fd);
  errno = saved;
  if (rc != 0) return IoError("sync the file system of", path);
  return Ok();
}

}  // namespace certfleet::agent
