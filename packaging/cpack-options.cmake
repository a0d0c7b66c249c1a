# Read by cpack (CPACK_PROJECT_CONFIG_FILE). CPack's DEB generator puts CPACK_PACKAGE_DESCRIPTION_SUMMARY
# (the project's description) above every package's own description; each package's first line is
# its own synopsis, so there is none.
unset(CPACK_PACKAGE_DESCRIPTION_SUMMARY)
