package io.netform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.kernel.KernelTest;
import io.netform.kernel.ffi.Umask;
import io.netform.testing.RepoFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;

/**
 * netform refuses, as root, directories that group or others may write; what it makes there
 * itself must pass that judgement at the next run whatever umask it was started with.
 */
@KernelTest
class UmaskTest {

  @Test
  void underAUmaskOf002WhatTheAgentMakesIsStillItsOwnAtTheNextRun() throws Exception {
    LiveHost host = LiveHost.create();
    Path repo = Files.createTempDirectory("umask-repo");
    try (Git git = Git.init().setInitialBranch("main").setDirectory(repo.toFile()).call()) {
      Files.createDirectories(repo.resolve("nets"));
      Files.copy(RepoFiles.examples().resolve("14-names-aliases-links.yaml"), repo.resolve("nets/names.yaml"));
      git.add().addFilepattern(".").call();
      git.commit().setMessage("names").setAuthor("test", "test@example.org").setCommitter("test", "test@example.org").call();
    }
    int before = Umask.set(002);
    try {
      var first = host.run("agent", "--source", repo.toString(), "--once");
      assertEquals(0, first.code(), first.out() + first.err());
      var second = host.run("agent", "--source", repo.toString(), "--once");
      assertEquals(0, second.code(), "the last good copy, the checkout and the name files pass: " + second.out() + second.err());
      assertTrue(second.out().contains("result:          in-sync"), second.out());
      for (Path root : List.of(host.state(), etcOf(host))) {
        try (Stream<Path> all = Files.walk(root)) {
          List<Path> writable = all.filter(p -> !Files.isSymbolicLink(p)).filter(UmaskTest::writableByOthers).toList();
          assertEquals(List.of(), writable, "nothing netform made is writable by group or others");
        }
      }
    } finally {
      Umask.set(before);
      host.run("destroy", "--auto-approve", repo.resolve("nets").toString());
    }
  }

  private static Path etcOf(LiveHost host) {
    return io.netform.kernel.files.NamePlaces.pairedWith(new io.netform.kernel.netns.NamedNamespaces(host.netns())).etcNetns();
  }

  private static boolean writableByOthers(Path p) {
    try {
      var perms = Files.getPosixFilePermissions(p, java.nio.file.LinkOption.NOFOLLOW_LINKS);
      return perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
