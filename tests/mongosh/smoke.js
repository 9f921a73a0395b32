// Runs inside mongosh against the standalone embedded server; prints one line per check and a summary.
let passed = 0;
let failed = 0;
function check(name, fn) {
  try {
    fn();
    passed++;
    print(`PASS ${name}`);
  } catch (e) {
    failed++;
    print(`FAIL ${name} -- ${e.message}`);
  }
}
function eq(actual, expected) {
  const a = EJSON.stringify(actual), e = EJSON.stringify(expected);
  if (a !== e) throw new Error(`expected ${e}, got ${a}`);
}

const t = db.getSiblingDB('mongosh_smoke');
t.dropDatabase();

check('hello reports a writable primary of wire version >= 17', () => {
  const hello = db.hello();
  eq(hello.isWritablePrimary, true);
  if (hello.maxWireVersion < 17) throw new Error(`maxWireVersion ${hello.maxWireVersion}`);
});
check('db.version() answers', () => { if (!/^\d+\.\d+/.test(db.version())) throw new Error(db.version()); });
check('insertOne / insertMany / countDocuments', () => {
  t.items.insertOne({ _id: 1, name: 'a', tags: ['x', 'y'], price: 5 });
  t.items.insertMany([{ _id: 2, name: 'b', price: 7 }, { _id: 3, name: 'c', price: 9 }]);
  eq(t.items.countDocuments({}), 3);
});
check('find with filter, sort, projection', () => {
  eq(t.items.find({ price: { $gte: 7 } }, { _id: 0, name: 1 }).sort({ price: -1 }).toArray(), [{ name: 'c' }, { name: 'b' }]);
});
check('updateOne with $inc and $push', () => {
  const r = t.items.updateOne({ _id: 1 }, { $inc: { price: 1 }, $push: { tags: 'z' } });
  eq([r.matchedCount, r.modifiedCount], [1, 1]);
  eq(t.items.findOne({ _id: 1 }).tags, ['x', 'y', 'z']);
});
check('unique index rejects a duplicate with E11000', () => {
  t.items.createIndex({ name: 1 }, { unique: true });
  let code = null;
  try { t.items.insertOne({ name: 'a' }); } catch (e) { code = e.code; }
  eq(code, 11000);
});
check('getIndexes lists the new index', () => { eq(t.items.getIndexes().map(i => i.name).sort(), ['_id_', 'name_1']); });
check('explain shows the index used', () => {
  eq(t.items.find({ name: 'b' }).explain().queryPlanner.winningPlan.inputStage.indexName, 'name_1');
});
check('aggregate with $group', () => {
  eq(t.items.aggregate([{ $group: { _id: null, total: { $sum: '$price' } } }]).toArray(), [{ _id: null, total: 22 }]);
});
check('findOneAndUpdate returns the new document', () => {
  eq(t.items.findOneAndUpdate({ _id: 2 }, { $set: { name: 'bb' } }, { returnDocument: 'after' }).name, 'bb');
});
check('deleteMany', () => { eq(t.items.deleteMany({ price: { $gt: 6 } }).deletedCount, 2); eq(t.items.countDocuments({}), 1); });
check('show collections / listDatabases', () => {
  eq(t.getCollectionNames(), ['items']);
  if (!db.adminCommand({ listDatabases: 1 }).databases.some(d => d.name === 'mongosh_smoke')) throw new Error('database not listed');
});
check('an unknown command answers CommandNotFound', () => {
  let code = null;
  try { t.runCommand({ frobnicate: 1 }); } catch (e) { code = e.code; }
  const reply = code === null ? t.runCommand({ frobnicate: 1 }) : { code };
  eq(reply.code, 59);
});
t.dropDatabase();
print(`${passed} passed, ${failed} failed`);
