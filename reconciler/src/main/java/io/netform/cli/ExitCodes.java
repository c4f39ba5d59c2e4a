package io.netform.cli;

/**
 * Exit codes shared by every command, Terraform's convention: 0 success (no changes), 1 error
 * (invalid input, failed operation, usage), 2 success with changes (only with --detailed-exitcode).
 */
public final class ExitCodes {

  public static final int OK = 0;
  public static final int ERROR = 1;
  public static final int CHANGES = 2;

  private ExitCodes() {}
}
