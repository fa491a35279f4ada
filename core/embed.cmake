# Writes a C++ source that holds the file IN as the constant relaycheck::data::NAME, so that core
# can carry data files (example config, CRM ranges) without any I/O. Run by relaycheck_embed().
file(READ "${IN}" content)
file(WRITE "${OUT}" "// Generated from ${IN} by core/embed.cmake; do not edit.\n#include <string_view>\n\nnamespace relaycheck::data {\nextern const std::string_view ${NAME};\nconst std::string_view ${NAME} = R\"relaycheck_embed(${content})relaycheck_embed\";\n}  // namespace relaycheck::data\n")
