/* The XML writer behind JUnit (render/suite/xml_writer.h): the layout it writes,
 * and, through expat, that any bytes at all in attributes and text leave the
 * document well-formed and come back as what XML can hold of them. */
#include "render/suite/xml_writer.h"

#include <criterion/criterion.h>
#include <expat.h>
#include <stdlib.h>
#include <string.h>

static FILE *open_string(char **text, size_t *size)
{
    FILE *out = open_memstream(text, size);
    cr_assert_not_null(out);
    return out;
}

Test(xml_writer, elements_nest_one_per_line_and_empty_ones_close_themselves)
{
    char *xml;
    size_t size;
    FILE *out = open_string(&xml, &size);
    struct xml_writer writer;
    xml_writer_begin(&writer, out);
    xml_start(&writer, "suite");
    xml_attribute(&writer, "name", "a");
    xml_start(&writer, "case");
    xml_end(&writer);
    xml_start(&writer, "case");
    xml_start(&writer, "failure");
    xml_attribute(&writer, "message", "m");
    xml_text(&writer, "why\n", 4);
    xml_end(&writer);
    xml_end(&writer);
    xml_start(&writer, "out");
    xml_text(&writer, "", 0);
    xml_end(&writer);
    xml_end(&writer);
    cr_assert_eq(fclose(out), 0);
    cr_expect_str_eq(xml, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                          "<suite name=\"a\">\n"
                          "  <case/>\n"
                          "  <case>\n"
                          "    <failure message=\"m\">why\n</failure>\n"
                          "  </case>\n"
                          "  <out></out>\n"
                          "</suite>\n");
    free(xml);
}

struct parsed {
    char attribute[1024];
    char text[4096];
    size_t text_length;
};

static void on_start(void *data, const char *name, const char **attributes)
{
    struct parsed *parsed = data;
    if (strcmp(name, "e") == 0 && attributes[0] != NULL)
        snprintf(parsed->attribute, sizeof(parsed->attribute), "%s", attributes[1]);
}

static void on_text(void *data, const char *text, int length)
{
    struct parsed *parsed = data;
    cr_assert_lt(parsed->text_length + (size_t)length, sizeof(parsed->text));
    memcpy(parsed->text + parsed->text_length, text, (size_t)length);
    parsed->text_length += (size_t)length;
}

/* Every byte value in an attribute and in text: expat accepts the document;
 * what XML can hold comes back as it was, the rest as U+FFFD. */
Test(xml_writer, any_bytes_leave_the_document_well_formed)
{
    char bytes[256];
    for (int i = 0; i < 256; i++)
        bytes[i] = (char)(i == 0 ? ' ' : i); /* a C string attribute cannot hold NUL */
    char attribute_value[257];
    memcpy(attribute_value, bytes, 256);
    attribute_value[256] = '\0';

    char *xml;
    size_t size;
    FILE *out = open_string(&xml, &size);
    struct xml_writer writer;
    xml_writer_begin(&writer, out);
    xml_start(&writer, "e");
    xml_attribute(&writer, "a", attribute_value);
    xml_text(&writer, bytes, sizeof(bytes));
    xml_end(&writer);
    cr_assert_eq(fclose(out), 0);

    struct parsed parsed = {0};
    XML_Parser parser = XML_ParserCreate("UTF-8");
    XML_SetUserData(parser, &parsed);
    XML_SetStartElementHandler(parser, on_start);
    XML_SetCharacterDataHandler(parser, on_text);
    cr_assert_eq(XML_Parse(parser, xml, (int)size, 1), XML_STATUS_OK, "%s",
                 XML_ErrorString(XML_GetErrorCode(parser)));
    XML_ParserFree(parser);
    /* Tab, newline and carriage return survive in both places (character
     * references), '<', '&', '"' too; other controls are U+FFFD. */
    cr_expect_eq(strncmp(parsed.attribute, " \xef\xbf\xbd", 4), 0);
    cr_expect_not_null(strstr(parsed.attribute, "\t\n\xef\xbf\xbd\xef\xbf\xbd\r"));
    cr_expect_not_null(strstr(parsed.attribute, "!\"#$%&'()"));
    cr_expect_not_null(strstr(parsed.attribute, ";<=>?"));
    parsed.text[parsed.text_length] = '\0';
    cr_expect_not_null(strstr(parsed.text, "\t\n\xef\xbf\xbd\xef\xbf\xbd\r"));
    cr_expect_not_null(strstr(parsed.text, ";<=>?"));
    cr_expect_not_null(strstr(parsed.text, "~\x7f"), "DEL is an XML character");
    free(xml);
}
