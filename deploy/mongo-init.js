// One-shot set-up of the compose MongoDB replica set; safe to run again.
// Run by the mongo-init service of compose.yaml as the root user on mongo1.

// 1. Initiate the replica set once.
try {
  rs.status();
  print("replica set rs0 already initiated");
} catch (e) {
  if (e.codeName !== "NotYetInitialized") throw e;
  rs.initiate({
    _id: "rs0",
    members: [
      // mongo1 is preferred as primary; any member can take over.
      { _id: 0, host: "mongo1:27017", priority: 2 },
      { _id: 1, host: "mongo2:27017", priority: 1 },
      { _id: 2, host: "mongo3:27017", priority: 1 },
    ],
  });
  print("replica set rs0 initiated");
}

// 2. Wait until this member is primary (users can only be written there).
for (let i = 0; !db.hello().isWritablePrimary; i++) {
  if (i >= 120) throw new Error("mongo1 did not become primary in 120 s");
  sleep(1000);
}

// 3. Kalan's own user: read/write on its database only, not root.
const name = process.env.KALAN_MONGODB_DB;
const pwd = process.env.KALAN_MONGODB_PASSWORD;
const app = db.getSiblingDB(name);
if (app.getUser("kalan")) {
  app.updateUser("kalan", { pwd: pwd }); // follows a password change in .env
  print("user kalan updated");
} else {
  app.createUser({ user: "kalan", pwd: pwd, roles: [{ role: "readWrite", db: name }] });
  print("user kalan created");
}
