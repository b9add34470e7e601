// SPDX-License-Identifier: GPL-3.0-or-later
// Emptying and removing a challenge directory that another user (the dropped client) can write:
// everything is done relative to a directory fd held since the directory was made or checked,
// never through a path, so a directory renamed away and replaced by a symlink is never followed.
#pragma once

#include <string>
#include <vector>

namespace lacme::master {

// The names in the directory open as dir_fd, without "." and ".."; throws lacme::error.
std::vector<std::string> directory_entries_at(int dir_fd);

// Unlinks the entries of the directory open as dir_fd; `last` (if present) goes after all others.
// A subdirectory is emptied and removed only when it has the same owner as dir_fd (a directory
// another user renamed in keeps its owner, and root never empties what that user could not).
// Best effort: what cannot be removed stays. Returns whether the directory is now empty.
bool empty_directory_at(int dir_fd, const std::string& last = {}) noexcept;

// Empties dir_fd, then removes the entry `name` of parent_fd, but only while that entry is still
// the directory dir_fd is open on (same device and inode, not followed if a symlink).
bool remove_directory_at(int parent_fd, const std::string& name, int dir_fd) noexcept;

}  // namespace lacme::master
