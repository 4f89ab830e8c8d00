# Generates a .cc holding every migrations/NNNN_*.sql file of one dialect as a string, in
# order. Run at build time:
#   cmake -DSRC_DIR=<dialect dir> -DOUT=<file.cc> -DHEADER=<include> -DNAMESPACE=<ns> -P embed_migrations.cmake
file(GLOB files "${SRC_DIR}/migrations/[0-9][0-9][0-9][0-9]_*.sql")
list(SORT files)
set(body "")
# Versions must be 1, 2, 3, ... with no gap and no number twice: a database at version N
# never applies a file numbered below N, so a duplicate or a gap filled later is skipped
# silently. Two branches that took the same number: renumber the one that landed later.
set(expected 1)
foreach(f ${files})
  get_filename_component(name ${f} NAME)
  string(SUBSTRING ${name} 0 4 number)
  math(EXPR version "${number}" OUTPUT_FORMAT DECIMAL)
  if(NOT version EQUAL expected)
    message(FATAL_ERROR "${SRC_DIR}/migrations/${name}: expected migration number ${expected} "
      "(numbers run 1, 2, 3, ... without gaps or repeats); renumber it")
  endif()
  math(EXPR expected "${expected} + 1")
  file(READ ${f} sql)
  string(APPEND body "    {${version}, \"${name}\", R\"certfleet_sql(${sql})certfleet_sql\"},\n")
endforeach()
file(WRITE ${OUT}.tmp "// Generated from ${SRC_DIR}/migrations by embed_migrations.cmake. Do not edit.\n"
  "#include \"${HEADER}\"\n\n"
  "namespace ${NAMESPACE} {\n\n"
  "const std::vector<sql::Migration>& EmbeddedMigrations() {\n"
  "  static const std::vector<sql::Migration> kMigrations{\n${body}  };\n"
  "  return kMigrations;\n}\n\n}  // namespace ${NAMESPACE}\n")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
