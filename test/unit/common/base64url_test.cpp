// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/base64url.hpp"

#include <boost/test/unit_test.hpp>

using lacme::base64url_decode;
using lacme::base64url_encode;

BOOST_AUTO_TEST_SUITE(base64url)

BOOST_AUTO_TEST_CASE(rfc4648_vectors_without_padding)
{
    BOOST_TEST(base64url_encode(std::string_view("")) == "");
    BOOST_TEST(base64url_encode(std::string_view("f")) == "Zg");
    BOOST_TEST(base64url_encode(std::string_view("fo")) == "Zm8");
    BOOST_TEST(base64url_encode(std::string_view("foo")) == "Zm9v");
    BOOST_TEST(base64url_encode(std::string_view("foob")) == "Zm9vYg");
    BOOST_TEST(base64url_encode(std::string_view("fooba")) == "Zm9vYmE");
    BOOST_TEST(base64url_encode(std::string_view("foobar")) == "Zm9vYmFy");
}

BOOST_AUTO_TEST_CASE(url_safe_alphabet)
{
    const std::string bytes("\xfb\xff\xbf", 3);
    BOOST_TEST(base64url_encode(bytes) == "-_-_");
    BOOST_TEST(*base64url_decode("-_-_") == bytes);
}

BOOST_AUTO_TEST_CASE(round_trip_all_lengths)
{
    std::string data;
    for (int i = 0; i < 300; ++i) {
        BOOST_TEST(*base64url_decode(base64url_encode(data)) == data);
        data += static_cast<char>(i * 7);
    }
}

BOOST_AUTO_TEST_CASE(rejects_non_canonical_input)
{
    BOOST_TEST(!base64url_decode("Zm9v="));  // padding
    BOOST_TEST(!base64url_decode("Zm+v"));  // standard alphabet
    BOOST_TEST(!base64url_decode("Z"));  // impossible length
    BOOST_TEST(!base64url_decode("Zh"));  // non-zero trailing bits
    BOOST_TEST(!base64url_decode("Zm 9v"));
    BOOST_TEST(base64url_decode("")->empty());  // empty payload: POST-as-GET
}

BOOST_AUTO_TEST_SUITE_END()
