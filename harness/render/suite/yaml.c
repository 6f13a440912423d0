/* A small YAML writer for TAP diagnostics: JSON values as block mappings and
 * sequences with double-quoted strings, the subset that TAP::Parser's YAMLish
 * reader and full YAML parsers agree on. */
#include "render/suite/yaml.h"

#include "core/write/utf8.h"
#include "core/write/visible_text.h"

#include <string.h>

static void put_indent(FILE *out, int indent)
{
    fprintf(out, "%*s", indent, "");
}

/* A YAML double-quoted string. What the terminal escaping hides is escaped
 * here too, for TAP is read on terminals: a control below 0x100 as \xNN
 * (the escape YAMLish knows, with \n \t \r \\ \"), a bidi control as
 * \uNNNN, which YAML decodes and YAMLish leaves visible. A byte that is not
 * UTF-8 becomes U+FFFD: YAML text must be Unicode. */
static void put_quoted(FILE *out, const char *text, size_t length)
{
    fputc('"', out);
    for (size_t at = 0; at < length;) {
        size_t size;
        long c = utf8_decode(text + at, length - at, &size);
        if (c == '"' || c == '\\')
            fprintf(out, "\\%c", (char)c);
        else if (c == '\n')
            fputs("\\n", out);
        else if (c == '\t')
            fputs("\\t", out);
        else if (c == '\r')
            fputs("\\r", out);
        else if (c == UTF8_INVALID)
            fputs("\xEF\xBF\xBD", out);
        else if (visible_text_hides(c) && c < 0x100)
            fprintf(out, "\\x%02lX", c);
        else if (visible_text_hides(c))
            fprintf(out, "\\u%04lX", c);
        else
            fwrite(text + at, 1, size, out);
        at += size;
    }
    fputc('"', out);
}

static void put_scalar(FILE *out, const json_t *value)
{
    switch (json_typeof(value)) {
    case JSON_STRING:
        put_quoted(out, json_string_value(value), json_string_length(value));
        break;
    case JSON_INTEGER:
        fprintf(out, "%" JSON_INTEGER_FORMAT, json_integer_value(value));
        break;
    case JSON_REAL:
        fprintf(out, "%.17g", json_real_value(value));
        break;
    case JSON_TRUE:
        fputs("true", out);
        break;
    case JSON_FALSE:
        fputs("false", out);
        break;
    case JSON_OBJECT:
        fputs("{}", out); /* only empty ones come here */
        break;
    case JSON_ARRAY:
        fputs("[]", out);
        break;
    case JSON_NULL:
    default:
        fputs("~", out);
        break;
    }
}

static bool is_nested(const json_t *value)
{
    return (json_is_object(value) && json_object_size(value) > 0) ||
           (json_is_array(value) && json_array_size(value) > 0);
}

static void put_sequence(FILE *out, const json_t *array, int indent);

/* Keys that are plain words go bare; anything else is quoted. */
static void put_key(FILE *out, const char *key)
{
    size_t length = strlen(key);
    if (length > 0 && strspn(key, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                  "0123456789_") == length)
        fputs(key, out);
    else
        put_quoted(out, key, length);
}

/* A mapping whose first key may already have its indentation written (the
 * "- key: value" form of a mapping inside a sequence). */
static void put_mapping(FILE *out, const json_t *object, int indent, bool first_is_indented)
{
    const char *key;
    json_t *value;
    bool first = true;
    json_object_foreach((json_t *)object, key, value)
    {
        if (!(first && first_is_indented))
            put_indent(out, indent);
        first = false;
        put_key(out, key);
        fputc(':', out);
        if (json_is_object(value) && is_nested(value)) {
            fputc('\n', out);
            put_mapping(out, value, indent + 2, false);
        } else if (json_is_array(value) && is_nested(value)) {
            fputc('\n', out);
            put_sequence(out, value, indent + 2);
        } else {
            fputc(' ', out);
            put_scalar(out, value);
            fputc('\n', out);
        }
    }
}

static void put_sequence(FILE *out, const json_t *array, int indent)
{
    size_t index;
    json_t *item;
    json_array_foreach(array, index, item)
    {
        put_indent(out, indent);
        if (json_is_object(item) && is_nested(item)) {
            fputs("- ", out);
            put_mapping(out, item, indent + 2, true);
        } else if (json_is_array(item) && is_nested(item)) {
            fputs("-\n", out);
            put_sequence(out, item, indent + 2);
        } else {
            fputs("- ", out);
            put_scalar(out, item);
            fputc('\n', out);
        }
    }
}

void yaml_write_mapping(FILE *out, const json_t *object, int indent)
{
    put_mapping(out, object, indent, false);
}
