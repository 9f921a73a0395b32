using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Query;

// Combinators of value tests (inside $elemMatch and $not).

internal sealed class AllOfTest(IValueTest[] tests) : IValueTest
{
    public bool Test(BsonValue? value, ref int arrayIndex)
    {
        foreach (var t in tests)
        {
            if (!t.Test(value, ref arrayIndex)) return false;
        }
        return true;
    }
}

internal sealed class NotTest(IValueTest inner) : IValueTest
{
    public bool Test(BsonValue? value, ref int arrayIndex)
    {
        var ignored = -1;
        return !inner.Test(value, ref ignored);
    }
}

internal sealed class ConstantTest(bool result) : IValueTest
{
    public bool Test(BsonValue? value, ref int arrayIndex) => result;
}
