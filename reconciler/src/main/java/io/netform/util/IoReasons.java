package io.netform.util;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;

/**
 * An I/O failure in words for a one-line message. Java's exceptions for the commonest errors
 * (no such file, permission denied) carry only the path, and {@code toString()} names a class.
 */
public final class IoReasons {

  private IoReasons() {}

  /** Why it failed, without the path: e.g. "permission denied", "no space left on device". */
  public static String of(IOException e) {
    String reason = e instanceof FileSystemException f ? f.getReason() : e.getMessage();
    if (reason == null || reason.isBlank()) {
      reason = byType(e);
    }
    return reason.isEmpty() ? reason : reason.substring(0, 1).toLowerCase(Locale.ROOT) + reason.substring(1);
  }

  /** The file it concerns (when Java says) and why: "/x/plan.json: is a directory". */
  public static String describe(IOException e) {
    String file = e instanceof FileSystemException f && f.getFile() != null ? f.getFile() + ": " : "";
    return file + of(e);
  }

  /** The file system is full (ENOSPC), whichever call noticed it. */
  public static boolean isNoSpace(IOException e) {
    return of(e).contains("no space left on device");
  }

  private static String byType(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileAlreadyExistsException) {
      return "file exists";
    }
    if (e instanceof NotDirectoryException) {
      return "not a directory";
    }
    if (e instanceof DirectoryNotEmptyException) {
      return "directory not empty";
    }
    return e.getClass().getSimpleName();
  }
}
