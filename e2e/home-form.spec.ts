// Issue 2: the home form's errors, shown beside the form, with what was typed kept.
import { expect, expectConnected, formError, test } from "./helpers";

test("creating a room without a name asks for one, then works once a name is given", async ({
  newPerson,
}) => {
  const dana = await newPerson();
  await dana.getByRole("button", { name: "Create room" }).click();
  await expect(formError(dana)).toHaveText("Please enter a name.");
  await expect(dana).toHaveURL(/\/$/);

  // Spaces alone are no name either.
  await dana.reload();
  await expect(formError(dana)).toHaveText("");
  await dana.getByLabel("Your name").fill("   ");
  await dana.getByRole("button", { name: "Create room" }).click();
  await expect(formError(dana)).toHaveText("Please enter a name.");

  await dana.getByLabel("Your name").fill("  Dana  ");
  await dana.getByRole("button", { name: "Create room" }).click();
  await expect(dana).toHaveURL(/\/r\/[A-Z2-9]{6}$/);
  await expectConnected(dana);
  await expect(dana.getByRole("list", { name: "Members" })).toContainText(["Dana"]);
});

test("joining without a name asks for one and keeps the typed code", async ({ newPerson }) => {
  const dana = await newPerson();
  await dana.getByLabel("Room code").fill("abc234");
  await dana.getByRole("button", { name: "Join room" }).click();
  await expect(formError(dana)).toHaveText("Please enter a name.");
  await expect(dana.getByLabel("Room code")).toHaveValue("abc234");
});

test("joining without a code asks for one and keeps the typed name", async ({ newPerson }) => {
  const dana = await newPerson();
  await dana.getByLabel("Your name").fill("Dana");
  await dana.getByRole("button", { name: "Join room" }).click();
  await expect(formError(dana)).toHaveText("Please enter a room code.");
  await expect(dana.getByLabel("Your name")).toHaveValue("Dana");
  await expect(dana).toHaveURL(/\/$/);
});

test("joining an unknown code says the room does not exist and keeps name and code", async ({
  newPerson,
}) => {
  const dana = await newPerson();
  await dana.getByLabel("Your name").fill("Dana");
  await dana.getByLabel("Room code").fill("zzzzzz");
  await dana.getByRole("button", { name: "Join room" }).click();
  await expect(formError(dana)).toHaveText("Room does not exist.");
  await expect(dana.getByLabel("Your name")).toHaveValue("Dana");
  await expect(dana.getByLabel("Room code")).toHaveValue("zzzzzz");

  // Six characters that no code has are named as not a code.
  await dana.reload();
  await expect(formError(dana)).toHaveText("");
  await dana.getByLabel("Your name").fill("Dana");
  await dana.getByLabel("Room code").fill("OOOOOO");
  await dana.getByRole("button", { name: "Join room" }).click();
  await expect(formError(dana)).toHaveText(
    "This is not a room code: codes have no 0, 1, I, L or O.",
  );
  await expect(dana.getByLabel("Room code")).toHaveValue("OOOOOO");
  await expect(dana).toHaveURL(/\/$/);
});
