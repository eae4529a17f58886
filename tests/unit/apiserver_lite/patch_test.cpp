#include "patch.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "merge_keys.h"

namespace kr::apiserver_lite {
namespace {

namespace json = boost::json;

json::value J(const char* text) { return json::parse(text); }

// RFC 7386 appendix A test cases.
TEST(MergePatch, Rfc7386AppendixA) {
  struct Case {
    const char* target;
    const char* patch;
    const char* result;
  };
  const Case cases[] = {
      {R"({"a":"b"})", R"({"a":"c"})", R"({"a":"c"})"},
      {R"({"a":"b"})", R"({"b":"c"})", R"({"a":"b","b":"c"})"},
      {R"({"a":"b"})", R"({"a":null})", R"({})"},
      {R"({"a":"b","b":"c"})", R"({"a":null})", R"({"b":"c"})"},
      {R"({"a":["b"]})", R"({"a":"c"})", R"({"a":"c"})"},
      {R"({"a":"c"})", R"({"a":["b"]})", R"({"a":["b"]})"},
      {R"({"a":{"b":"c"}})", R"({"a":{"b":"d","c":null}})", R"({"a":{"b":"d"}})"},
      {R"({"a":[{"b":"c"}]})", R"({"a":[1]})", R"({"a":[1]})"},
      {R"(["a","b"])", R"(["c","d"])", R"(["c","d"])"},
      {R"({"a":"b"})", R"(["c"])", R"(["c"])"},
      {R"({"a":"foo"})", "null", "null"},
      {R"({"a":"foo"})", R"("bar")", R"("bar")"},
      {R"({"e":null})", R"({"a":1})", R"({"e":null,"a":1})"},
      {R"([1,2])", R"({"a":"b","c":null})", R"({"a":"b"})"},
      {R"({})", R"({"a":{"bb":{"ccc":null}}})", R"({"a":{"bb":{}}})"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(merge_patch(J(c.target), J(c.patch)), J(c.result)) << c.target << " + " << c.patch;
  }
}

json::value smp(const char* target, const char* patch, const char* kind = "Pod") {
  return strategic_merge_patch(J(target), J(patch), kind, list_merge_key);
}

TEST(StrategicMergePatch, MergesMapsAndHonoursMapDirectives) {
  const char* target = R"({"metadata":{"labels":{"a":"1","b":"2"}},"spec":{"x":1}})";
  EXPECT_EQ(smp(target, R"({"metadata":{"labels":{"b":null,"c":"3"}}})"),
            J(R"({"metadata":{"labels":{"a":"1","c":"3"}},"spec":{"x":1}})"));
  EXPECT_EQ(smp(target, R"({"spec":{"$patch":"replace","y":2}})"),
            J(R"({"metadata":{"labels":{"a":"1","b":"2"}},"spec":{"y":2}})"));
  EXPECT_EQ(smp(target, R"({"spec":{"$patch":"delete"}})"),
            J(R"({"metadata":{"labels":{"a":"1","b":"2"}}})"));
  EXPECT_EQ(smp(R"({"v":{"a":1,"b":2}})", R"({"v":{"$retainKeys":["b","c"],"c":3}})"),
            J(R"({"v":{"b":2,"c":3}})"));
}

// What `kubectl apply` sends after a Service's second port changed from 443 to 8443.
TEST(StrategicMergePatch, MergesListsByTheirMergeKey) {
  const char* service =
      R"({"spec":{"ports":[{"name":"http","port":80},{"name":"https","port":443}]}})";
  const char* patch = R"({"spec":{"$setElementOrder/ports":[{"port":80},{"port":8443}],
      "ports":[{"name":"https","port":8443},{"$patch":"delete","port":443}]}})";
  EXPECT_EQ(smp(service, patch, "Service"),
            J(R"({"spec":{"ports":[{"name":"http","port":80},{"name":"https","port":8443}]}})"));
  // Elements merge field by field; unmentioned ones stay.
  EXPECT_EQ(
      smp(R"({"spec":{"containers":[{"name":"a","image":"x","env":[{"name":"K","value":"1"}]},{"name":"b"}]}})",
          R"({"spec":{"containers":[{"name":"a","image":"y","env":[{"name":"L","value":"2"}]}]}})"),
      J(R"({"spec":{"containers":[{"name":"a","image":"y","env":[{"name":"K","value":"1"},{"name":"L","value":"2"}]},{"name":"b"}]}})"));
  // Lists without a merge strategy are replaced.
  EXPECT_EQ(
      smp(R"({"spec":{"tolerations":[{"key":"a"}]}})", R"({"spec":{"tolerations":[{"key":"b"}]}})"),
      J(R"({"spec":{"tolerations":[{"key":"b"}]}})"));
}

TEST(StrategicMergePatch, PrimitiveMergeLists) {
  const char* target = R"({"metadata":{"finalizers":["a","b"]}})";
  EXPECT_EQ(smp(target, R"({"metadata":{"finalizers":["b","c"]}})"),
            J(R"({"metadata":{"finalizers":["a","b","c"]}})"));
  EXPECT_EQ(smp(target, R"({"metadata":{"$deleteFromPrimitiveList/finalizers":["a"]}})"),
            J(R"({"metadata":{"finalizers":["b"]}})"));
}

// RFC 6902 appendix A examples.
TEST(JsonPatch, Rfc6902AppendixA) {
  struct Case {
    const char* target;
    const char* patch;
    const char* result;
  };
  const Case cases[] = {
      {R"({"foo":"bar"})", R"([{"op":"add","path":"/baz","value":"qux"}])",
       R"({"baz":"qux","foo":"bar"})"},
      {R"({"foo":["bar","baz"]})", R"([{"op":"add","path":"/foo/1","value":"qux"}])",
       R"({"foo":["bar","qux","baz"]})"},
      {R"({"baz":"qux","foo":"bar"})", R"([{"op":"remove","path":"/baz"}])", R"({"foo":"bar"})"},
      {R"({"foo":["bar","qux","baz"]})", R"([{"op":"remove","path":"/foo/1"}])",
       R"({"foo":["bar","baz"]})"},
      {R"({"baz":"qux","foo":"bar"})", R"([{"op":"replace","path":"/baz","value":"boo"}])",
       R"({"baz":"boo","foo":"bar"})"},
      {R"({"foo":{"bar":"baz","waldo":"fred"},"qux":{"corge":"grault"}})",
       R"([{"op":"move","from":"/foo/waldo","path":"/qux/thud"}])",
       R"({"foo":{"bar":"baz"},"qux":{"corge":"grault","thud":"fred"}})"},
      {R"({"foo":["all","grass","cows","eat"]})",
       R"([{"op":"move","from":"/foo/1","path":"/foo/3"}])",
       R"({"foo":["all","cows","eat","grass"]})"},
      {R"({"baz":"qux","foo":["a",2,"c"]})",
       R"([{"op":"test","path":"/baz","value":"qux"},{"op":"test","path":"/foo/1","value":2}])",
       R"({"baz":"qux","foo":["a",2,"c"]})"},
      {R"({"foo":"bar"})", R"([{"op":"add","path":"/child","value":{"grandchild":{}}}])",
       R"({"foo":"bar","child":{"grandchild":{}}})"},
      {R"({"foo":["bar"]})", R"([{"op":"add","path":"/foo/-","value":["abc","def"]}])",
       R"({"foo":["bar",["abc","def"]]})"},
      {R"({"/":9,"~1":10})", R"([{"op":"test","path":"/~01","value":10}])", R"({"/":9,"~1":10})"},
      {R"({"a":{"b":1}})", R"([{"op":"copy","from":"/a","path":"/c"}])",
       R"({"a":{"b":1},"c":{"b":1}})"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(json_patch(J(c.target), J(c.patch)), J(c.result)) << c.patch;
  }
}

TEST(JsonPatch, FailuresNameTheOperationAndApplyNothing) {
  const auto target = J(R"({"baz":"qux","foo":"bar"})");
  for (const char* bad : {
           R"([{"op":"test","path":"/baz","value":"bar"}])",     // A.9 test failure
           R"([{"op":"add","path":"/baz/bat","value":"qux"}])",  // A.12 missing parent
           R"([{"op":"remove","path":"/nope"}])",                // missing target
           R"([{"op":"replace","path":"/nope","value":1}])",     // replace needs a target
           R"([{"op":"add","path":"/foo/01","value":1}])",       // not an array anyway
           R"([{"op":"frobnicate","path":"/foo"}])",             // unknown op
           R"([{"path":"/foo"}])",                               // no op
           R"({"op":"add"})",                                    // not an array
       }) {
    EXPECT_THROW(json_patch(target, J(bad)), PatchError) << bad;
  }
  try {
    json_patch(target, J(R"([{"op":"add","path":"/x","value":1},{"op":"remove","path":"/nope"}])"));
    FAIL() << "expected PatchError";
  } catch (const PatchError& e) {
    EXPECT_NE(std::string(e.what()).find("operation 1"), std::string::npos) << e.what();
  }
}

TEST(JsonPatch, ArrayIndexRules) {
  const auto target = J(R"({"a":[1,2]})");
  EXPECT_THROW(json_patch(target, J(R"([{"op":"add","path":"/a/3","value":0}])")), PatchError);
  EXPECT_THROW(json_patch(target, J(R"([{"op":"add","path":"/a/01","value":0}])")), PatchError);
  EXPECT_THROW(json_patch(target, J(R"([{"op":"remove","path":"/a/-"}])")), PatchError);
  EXPECT_EQ(json_patch(target, J(R"([{"op":"add","path":"/a/2","value":3}])")),
            J(R"({"a":[1,2,3]})"));
}

}  // namespace
}  // namespace kr::apiserver_lite
