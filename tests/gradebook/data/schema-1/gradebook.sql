BEGIN TRANSACTION;
CREATE TABLE grades (
    submission INTEGER NOT NULL REFERENCES submissions (id),
    question TEXT NOT NULL,
    version TEXT NOT NULL,
    current INTEGER NOT NULL,
    variant INTEGER NOT NULL,
    score REAL NOT NULL,
    max_score REAL NOT NULL,
    correct INTEGER NOT NULL,
    answer TEXT NOT NULL,
    key TEXT NOT NULL,
    reason TEXT,
    feedback TEXT NOT NULL REFERENCES texts (hash),
    evidence TEXT NOT NULL REFERENCES texts (hash),
    events TEXT NOT NULL REFERENCES texts (hash),
    PRIMARY KEY (submission, question, version));
INSERT INTO "grades" VALUES(1,'tag-idea','70be39f5c0dc446c',1,0,1.0,1.0,1,'"a"','"a"',NULL,'c277adfd2b7adf28','4f53cda18c2baa0c','4f53cda18c2baa0c');
INSERT INTO "grades" VALUES(1,'pull-private','433561f19aa80a6b',1,0,1.0,1.0,1,'"b"','"b"',NULL,'b5fea490693a766c','a7b8080a42f5617f','4f53cda18c2baa0c');
INSERT INTO "grades" VALUES(1,'missing-tag-exit','1f18c9c8d550427a',1,0,1.0,1.0,1,'"1"','1',NULL,'d49554ba34bbfcbf','770910042501013b','4f53cda18c2baa0c');
INSERT INTO "grades" VALUES(1,'tag-for-account','6c604e547fc4078f',1,1,1.0,1.0,1,'["docker tag alpine learner/base:2.0"]','["docker tag alpine learner/base:2.0"]',NULL,'d21611038b03776f','9459d7b149bfa7f5','f00e53952a96435f');
INSERT INTO "grades" VALUES(2,'tag-idea','70be39f5c0dc446c',1,0,1.0,1.0,1,'"a"','"a"',NULL,'c277adfd2b7adf28','4f53cda18c2baa0c','4f53cda18c2baa0c');
INSERT INTO "grades" VALUES(2,'pull-private','433561f19aa80a6b',1,0,0.0,1.0,0,'null','"b"','no answer','b24b05ddff4e8f22','a7b8080a42f5617f','4f53cda18c2baa0c');
INSERT INTO "grades" VALUES(2,'missing-tag-exit','1f18c9c8d550427a',1,0,0.0,1.0,0,'null','1','no answer','7851a7d80824ce4d','770910042501013b','4f53cda18c2baa0c');
INSERT INTO "grades" VALUES(2,'tag-for-account','6c604e547fc4078f',1,0,0.0,1.0,0,'null','["docker tag alpine learner/base:1.0"]','no answer','cb1e978a21e2a921','4f53cda18c2baa0c','4f53cda18c2baa0c');
INSERT INTO "grades" VALUES(3,'tag-idea','70be39f5c0dc446c',1,0,0.0,1.0,0,'"b"','"a"',NULL,'cb4f57ec56caecd9','4f53cda18c2baa0c','4f53cda18c2baa0c');
INSERT INTO "grades" VALUES(3,'pull-private','433561f19aa80a6b',1,0,0.0,1.0,0,'"a"','"b"',NULL,'fdc54a2d36561fe7','ff723b6adf68061a','8e69fe632e9d9305');
INSERT INTO "grades" VALUES(3,'missing-tag-exit','1f18c9c8d550427a',1,0,0.0,1.0,0,'"0"','1',NULL,'d8fecf47c50ae9f0','770910042501013b','4f53cda18c2baa0c');
INSERT INTO "grades" VALUES(3,'tag-for-account','6c604e547fc4078f',1,0,0.0,1.0,0,'["docker images"]','["docker tag alpine learner/base:1.0"]',NULL,'5731979874481683','cc79736dfcb72ce2','8e69fe632e9d9305');
INSERT INTO "grades" VALUES(4,'tag-idea','70be39f5c0dc446c',1,0,1.0,1.0,1,'"a"','"a"',NULL,'c277adfd2b7adf28','4f53cda18c2baa0c','4f53cda18c2baa0c');
INSERT INTO "grades" VALUES(4,'pull-private','433561f19aa80a6b',1,0,1.0,1.0,1,'"b"','"b"',NULL,'b5fea490693a766c','a7b8080a42f5617f','4f53cda18c2baa0c');
INSERT INTO "grades" VALUES(4,'missing-tag-exit','1f18c9c8d550427a',1,0,0.0,1.0,0,'null','1','no answer','7851a7d80824ce4d','770910042501013b','4f53cda18c2baa0c');
INSERT INTO "grades" VALUES(4,'tag-for-account','6c604e547fc4078f',1,1,0.0,1.0,0,'["docker tag alpine learner/base:9.9"]','["docker tag alpine learner/base:2.0"]',NULL,'df10127d79a77ab6','8b6d774b2790a9eb','dfb70c3e2e5e32e2');
INSERT INTO "grades" VALUES(5,'tag-idea','70be39f5c0dc446c',1,0,0.0,1.0,0,'"zz"','"a"','unknown choice ''zz''; expected one of a, b','a7f3ba18e00e8d47','4f53cda18c2baa0c','4f53cda18c2baa0c');
INSERT INTO "grades" VALUES(5,'pull-private','433561f19aa80a6b',1,0,0.0,1.0,0,'["a", "b"]','"b"','expected one choice letter, got 2','f35b01d2cc1d6dfd','a7b8080a42f5617f','4f53cda18c2baa0c');
INSERT INTO "grades" VALUES(5,'missing-tag-exit','1f18c9c8d550427a',1,0,0.0,1.0,0,'"one"','1','expected an exit code (a whole number from 0 to 255), got ''one''','e4bd4a4b913709fd','770910042501013b','4f53cda18c2baa0c');
INSERT INTO "grades" VALUES(5,'tag-for-account','6c604e547fc4078f',1,1,1.0,1.0,1,'["docker tag alpine learner/base:2.0"]','["docker tag alpine learner/base:2.0"]',NULL,'d21611038b03776f','9459d7b149bfa7f5','f00e53952a96435f');
INSERT INTO "grades" VALUES(6,'tag-idea','70be39f5c0dc446c',1,0,0.0,1.0,0,'null','"a"','no answer','3109f55edb260e45','4f53cda18c2baa0c','4f53cda18c2baa0c');
INSERT INTO "grades" VALUES(6,'pull-private','433561f19aa80a6b',1,0,0.0,1.0,0,'null','"b"','no answer','b24b05ddff4e8f22','a7b8080a42f5617f','4f53cda18c2baa0c');
INSERT INTO "grades" VALUES(6,'missing-tag-exit','1f18c9c8d550427a',1,0,0.0,1.0,0,'null','1','no answer','7851a7d80824ce4d','770910042501013b','4f53cda18c2baa0c');
INSERT INTO "grades" VALUES(6,'tag-for-account','6c604e547fc4078f',1,1,0.0,1.0,0,'null','["docker tag alpine learner/base:2.0"]','no answer','cb1e978a21e2a921','4f53cda18c2baa0c','4f53cda18c2baa0c');
INSERT INTO "grades" VALUES(7,'tag-idea','70be39f5c0dc446c',1,0,1.0,1.0,1,'"a"','"a"',NULL,'c277adfd2b7adf28','4f53cda18c2baa0c','4f53cda18c2baa0c');
INSERT INTO "grades" VALUES(7,'pull-private','433561f19aa80a6b',1,0,1.0,1.0,1,'"b"','"b"',NULL,'b5fea490693a766c','a7b8080a42f5617f','4f53cda18c2baa0c');
INSERT INTO "grades" VALUES(7,'missing-tag-exit','1f18c9c8d550427a',1,0,1.0,1.0,1,'1','1',NULL,'d49554ba34bbfcbf','770910042501013b','4f53cda18c2baa0c');
INSERT INTO "grades" VALUES(7,'tag-for-account','6c604e547fc4078f',1,1,1.0,1.0,1,'["docker tag alpine learner/base:2.0"]','["docker tag alpine learner/base:2.0"]',NULL,'d21611038b03776f','9459d7b149bfa7f5','f00e53952a96435f');
INSERT INTO "grades" VALUES(8,'tag-idea','70be39f5c0dc446c',1,0,0.0,1.0,0,'"b"','"a"',NULL,'cb4f57ec56caecd9','4f53cda18c2baa0c','4f53cda18c2baa0c');
INSERT INTO "grades" VALUES(8,'pull-private','433561f19aa80a6b',1,0,0.0,1.0,0,'"a"','"b"',NULL,'fdc54a2d36561fe7','ff723b6adf68061a','8e69fe632e9d9305');
INSERT INTO "grades" VALUES(8,'missing-tag-exit','1f18c9c8d550427a',1,0,0.0,1.0,0,'"0"','1',NULL,'d8fecf47c50ae9f0','770910042501013b','4f53cda18c2baa0c');
INSERT INTO "grades" VALUES(8,'tag-for-account','6c604e547fc4078f',1,1,0.0,1.0,0,'["docker images"]','["docker tag alpine learner/base:2.0"]',NULL,'5b894d7ac4ba1838','03e3febcd6500676','8e69fe632e9d9305');
INSERT INTO "grades" VALUES(9,'tag-idea','70be39f5c0dc446c',1,0,1.0,1.0,1,'"a"','"a"',NULL,'c277adfd2b7adf28','4f53cda18c2baa0c','4f53cda18c2baa0c');
INSERT INTO "grades" VALUES(9,'pull-private','433561f19aa80a6b',1,0,1.0,1.0,1,'"b"','"b"',NULL,'b5fea490693a766c','a7b8080a42f5617f','4f53cda18c2baa0c');
INSERT INTO "grades" VALUES(9,'missing-tag-exit','1f18c9c8d550427a',1,0,0.0,1.0,0,'null','1','no answer','7851a7d80824ce4d','770910042501013b','4f53cda18c2baa0c');
INSERT INTO "grades" VALUES(9,'tag-for-account','6c604e547fc4078f',1,1,0.0,1.0,0,'["docker tag alpine learner/base:9.9"]','["docker tag alpine learner/base:2.0"]',NULL,'df10127d79a77ab6','8b6d774b2790a9eb','dfb70c3e2e5e32e2');
INSERT INTO "grades" VALUES(10,'tag-idea','70be39f5c0dc446c',1,0,0.0,1.0,0,'"zz"','"a"','unknown choice ''zz''; expected one of a, b','a7f3ba18e00e8d47','4f53cda18c2baa0c','4f53cda18c2baa0c');
INSERT INTO "grades" VALUES(10,'pull-private','433561f19aa80a6b',1,0,0.0,1.0,0,'["a", "b"]','"b"','expected one choice letter, got 2','f35b01d2cc1d6dfd','a7b8080a42f5617f','4f53cda18c2baa0c');
INSERT INTO "grades" VALUES(10,'missing-tag-exit','1f18c9c8d550427a',1,0,0.0,1.0,0,'"one"','1','expected an exit code (a whole number from 0 to 255), got ''one''','e4bd4a4b913709fd','770910042501013b','4f53cda18c2baa0c');
INSERT INTO "grades" VALUES(10,'tag-for-account','6c604e547fc4078f',1,1,1.0,1.0,1,'["docker tag alpine learner/base:2.0"]','["docker tag alpine learner/base:2.0"]',NULL,'d21611038b03776f','9459d7b149bfa7f5','f00e53952a96435f');
INSERT INTO "grades" VALUES(11,'tag-idea','70be39f5c0dc446c',1,0,0.0,1.0,0,'null','"a"','no answer','3109f55edb260e45','4f53cda18c2baa0c','4f53cda18c2baa0c');
INSERT INTO "grades" VALUES(11,'pull-private','433561f19aa80a6b',1,0,0.0,1.0,0,'null','"b"','no answer','b24b05ddff4e8f22','a7b8080a42f5617f','4f53cda18c2baa0c');
INSERT INTO "grades" VALUES(11,'missing-tag-exit','1f18c9c8d550427a',1,0,0.0,1.0,0,'null','1','no answer','7851a7d80824ce4d','770910042501013b','4f53cda18c2baa0c');
INSERT INTO "grades" VALUES(11,'tag-for-account','6c604e547fc4078f',1,0,0.0,1.0,0,'null','["docker tag alpine learner/base:1.0"]','no answer','cb1e978a21e2a921','4f53cda18c2baa0c','4f53cda18c2baa0c');
INSERT INTO "grades" VALUES(12,'tag-idea','70be39f5c0dc446c',1,0,1.0,1.0,1,'"a"','"a"',NULL,'c277adfd2b7adf28','4f53cda18c2baa0c','4f53cda18c2baa0c');
INSERT INTO "grades" VALUES(12,'pull-private','433561f19aa80a6b',1,0,1.0,1.0,1,'"b"','"b"',NULL,'b5fea490693a766c','a7b8080a42f5617f','4f53cda18c2baa0c');
INSERT INTO "grades" VALUES(12,'missing-tag-exit','1f18c9c8d550427a',1,0,1.0,1.0,1,'"1"','1',NULL,'d49554ba34bbfcbf','770910042501013b','4f53cda18c2baa0c');
INSERT INTO "grades" VALUES(12,'tag-for-account','6c604e547fc4078f',1,1,1.0,1.0,1,'["docker tag alpine learner/base:2.0"]','["docker tag alpine learner/base:2.0"]',NULL,'d21611038b03776f','9459d7b149bfa7f5','f00e53952a96435f');
INSERT INTO "grades" VALUES(13,'tag-idea','70be39f5c0dc446c',1,0,0.0,1.0,0,'"b"','"a"',NULL,'cb4f57ec56caecd9','4f53cda18c2baa0c','4f53cda18c2baa0c');
INSERT INTO "grades" VALUES(13,'pull-private','433561f19aa80a6b',1,0,0.0,1.0,0,'"a"','"b"',NULL,'fdc54a2d36561fe7','ff723b6adf68061a','8e69fe632e9d9305');
INSERT INTO "grades" VALUES(13,'missing-tag-exit','1f18c9c8d550427a',1,0,0.0,1.0,0,'"0"','1',NULL,'d8fecf47c50ae9f0','770910042501013b','4f53cda18c2baa0c');
INSERT INTO "grades" VALUES(13,'tag-for-account','6c604e547fc4078f',1,0,0.0,1.0,0,'["docker images"]','["docker tag alpine learner/base:1.0"]',NULL,'5731979874481683','cc79736dfcb72ce2','8e69fe632e9d9305');
CREATE TABLE learners (learner TEXT PRIMARY KEY);
INSERT INTO "learners" VALUES('l0000');
INSERT INTO "learners" VALUES('l0001');
INSERT INTO "learners" VALUES('l0002');
INSERT INTO "learners" VALUES('l0003');
INSERT INTO "learners" VALUES('l0004');
INSERT INTO "learners" VALUES('l0005');
INSERT INTO "learners" VALUES('l0006');
INSERT INTO "learners" VALUES('l0007');
INSERT INTO "learners" VALUES('l0008');
INSERT INTO "learners" VALUES('l0009');
INSERT INTO "learners" VALUES('l0010');
INSERT INTO "learners" VALUES('l0011');
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO "meta" VALUES('application','imageshare-gradebook');
INSERT INTO "meta" VALUES('schema','1');
CREATE TABLE questions (
    quiz TEXT NOT NULL REFERENCES quizzes (quiz), question TEXT NOT NULL, position INTEGER NOT NULL,
    kind TEXT NOT NULL, points REAL NOT NULL, version TEXT NOT NULL, prompt TEXT NOT NULL, explain TEXT NOT NULL,
    PRIMARY KEY (quiz, question));
INSERT INTO "questions" VALUES('tiny','tag-idea',0,'choice',1.0,'70be39f5c0dc446c','What is a tag for?','A tag names one version of an image in a repository.');
INSERT INTO "questions" VALUES('tiny','pull-private',1,'which-fails',1.0,'433561f19aa80a6b','Nobody is logged in. Which pull fails?','alice/secret-app is private.');
INSERT INTO "questions" VALUES('tiny','missing-tag-exit',2,'output',1.0,'1f18c9c8d550427a','What exit code does this pull give?','There is no tag 2.0, so the pull fails with exit code 1.');
INSERT INTO "questions" VALUES('tiny','tag-for-account',3,'task',1.0,'6c604e547fc4078f','Name the image alpine learner/base:${tag} on this laptop.','docker tag gives an image one more name; nothing is copied.');
CREATE TABLE quizzes (
    quiz TEXT PRIMARY KEY, title TEXT NOT NULL, path TEXT NOT NULL, points REAL NOT NULL, version TEXT NOT NULL);
INSERT INTO "quizzes" VALUES('tiny','A tiny quiz for the gradebook''s tests','quizzes/tiny.yaml',4.0,'1a1442646a1849ca');
CREATE TABLE submissions (
    id INTEGER PRIMARY KEY,
    digest TEXT,
    path TEXT NOT NULL,
    learner TEXT REFERENCES learners (learner),
    quiz TEXT,
    submitted_at TEXT,
    status TEXT NOT NULL CHECK (status IN ('graded', 'rejected')),
    reason TEXT,
    answers TEXT,
    score REAL,
    max_score REAL,
    quiz_version TEXT,
    superseded_by INTEGER REFERENCES submissions (id),
    recorded_at TEXT NOT NULL);
INSERT INTO "submissions" VALUES(1,'sha256:33ae73e1a17603fcff0f7a0085349c00a40a67a3ce73d55ab71cc1c7cd62ae27','class/l0000.yaml','l0000','tiny',NULL,'graded',NULL,'{"tag-idea": "a", "pull-private": "b", "missing-tag-exit": "1", "tag-for-account": ["docker tag alpine learner/base:2.0"]}',4.0,4.0,'1a1442646a1849ca',NULL,'2026-12-04T23:19:20.897927Z');
INSERT INTO "submissions" VALUES(2,'sha256:63560520a235dd304a13e993a62ae25302bb8a5a88b66cdd365896d3193bcea7','class/l0001-again.json','l0001','tiny','2025-06-03T09:00:00Z','graded',NULL,'{"tag-idea": "a"}',1.0,4.0,'1a1442646a1849ca',NULL,'2026-12-04T23:19:20.905693Z');
INSERT INTO "submissions" VALUES(3,'sha256:9815137f1fc58ebf62166fa6b284df134497e3f94a066155170cac192afd442b','class/l0001.json','l0001','tiny','2025-06-02T09:01:00Z','graded',NULL,'{"tag-idea": "b", "pull-private": "a", "missing-tag-exit": "0", "tag-for-account": ["docker images"]}',0.0,4.0,'1a1442646a1849ca',2,'2026-12-04T23:19:20.909578Z');
INSERT INTO "submissions" VALUES(4,'sha256:e292929c80d8fe3f4e2f8acb91f193857af2f4767a8b8ac8df24ee17ae30b2bc','class/l0002.yaml','l0002','tiny',NULL,'graded',NULL,'{"tag-idea": "A", "pull-private": "b", "tag-for-account": ["docker tag alpine learner/base:9.9"]}',2.0,4.0,'1a1442646a1849ca',NULL,'2026-12-04T23:19:20.913550Z');
INSERT INTO "submissions" VALUES(5,'sha256:33284290ec4aba7e53425d1162f05b28f8ce4b12f7316dc6bbb1c325c886e676','class/l0003.json','l0003','tiny','2025-06-02T09:03:00Z','graded',NULL,'{"tag-idea": "zz", "pull-private": ["a", "b"], "missing-tag-exit": "one", "tag-for-account": ["docker tag alpine learner/base:2.0"]}',1.0,4.0,'1a1442646a1849ca',NULL,'2026-12-04T23:19:20.917964Z');
INSERT INTO "submissions" VALUES(6,'sha256:0d1c453b30d1cb5658f7e15a20c5aa32ed89d784b8ef1e7e741f08284213e43b','class/l0004.yaml','l0004','tiny',NULL,'graded',NULL,'{}',0.0,4.0,'1a1442646a1849ca',NULL,'2026-12-04T23:19:20.918619Z');
INSERT INTO "submissions" VALUES(7,'sha256:00f785643071c638546b4c166074d17be8001c17f1600dbb0a093d8f043396fa','class/l0005.json','l0005','tiny','2025-06-02T09:05:00Z','graded',NULL,'{"tag-idea": "a", "pull-private": "b", "missing-tag-exit": 1, "tag-for-account": ["docker tag alpine learner/base:2.0"]}',4.0,4.0,'1a1442646a1849ca',NULL,'2026-12-04T23:19:20.920517Z');
INSERT INTO "submissions" VALUES(8,'sha256:a70ea6d43b03fd1332468d983bedc18e7304d6f70b4ef3e24358c584e00ee3b0','class/l0006.yaml','l0006','tiny',NULL,'graded',NULL,'{"tag-idea": "b", "pull-private": "a", "missing-tag-exit": "0", "tag-for-account": ["docker images"]}',0.0,4.0,'1a1442646a1849ca',NULL,'2026-12-04T23:19:20.929463Z');
INSERT INTO "submissions" VALUES(9,'sha256:ff2c7c3c2fa23e889a9007a3d93472a9c41187a0740675803009b86f5889332f','class/l0007.json','l0007','tiny','2025-06-02T09:07:00Z','graded',NULL,'{"tag-idea": "A", "pull-private": "b", "tag-for-account": ["docker tag alpine learner/base:9.9"]}',2.0,4.0,'1a1442646a1849ca',NULL,'2026-12-04T23:19:20.930389Z');
INSERT INTO "submissions" VALUES(10,'sha256:70c91b414f9fbbb159dc783a85dab0ae91feccd7c776b1cfdcb5434596961b42','class/l0008.yaml','l0008','tiny',NULL,'graded',NULL,'{"tag-idea": "zz", "pull-private": ["a", "b"], "missing-tag-exit": "one", "tag-for-account": ["docker tag alpine learner/base:2.0"]}',1.0,4.0,'1a1442646a1849ca',NULL,'2026-12-04T23:19:20.930718Z');
INSERT INTO "submissions" VALUES(11,'sha256:1d5f8fc5c20f4f392aff33433e57cd5bdda5a0a640797e9be7b9c11b0516c5f3','class/l0009.json','l0009','tiny','2025-06-02T09:09:00Z','graded',NULL,'{}',0.0,4.0,'1a1442646a1849ca',NULL,'2026-12-04T23:19:20.931491Z');
INSERT INTO "submissions" VALUES(12,'sha256:2fcfec628453e6c99c1a2262cdb94aa15d7bdf03355f8eb891ed190a68eece80','class/l0010.yaml','l0010','tiny',NULL,'graded',NULL,'{"tag-idea": "a", "pull-private": "b", "missing-tag-exit": "1", "tag-for-account": ["docker tag alpine learner/base:2.0"]}',4.0,4.0,'1a1442646a1849ca',NULL,'2026-12-04T23:19:20.931772Z');
INSERT INTO "submissions" VALUES(13,'sha256:e5ca86959eb48c0a091c7a0820d148d9d2e1a37b5497a0a2395ff5263b3c9c69','class/l0011.json','l0011','tiny','2025-06-02T09:11:00Z','graded',NULL,'{"tag-idea": "b", "pull-private": "a", "missing-tag-exit": "0", "tag-for-account": ["docker images"]}',0.0,4.0,'1a1442646a1849ca',NULL,'2026-12-04T23:19:20.932293Z');
INSERT INTO "submissions" VALUES(14,'sha256:16a0a2ec44926d46a8c3e2d2775c6ff39f5ba4d322978c30e70b9b4b4bbcebce','class/zz-nan.json',NULL,NULL,NULL,'rejected','JSON: NaN is not JSON',NULL,NULL,NULL,NULL,NULL,'2026-12-04T23:19:20.932853Z');
INSERT INTO "submissions" VALUES(15,'sha256:7248925c2b7e2b17a0f7454cb961c3f5e90b72aac63df5a1c1f098856befba1d','class/zz-not-yaml.yaml',NULL,NULL,NULL,'rejected','line 4: YAML syntax: did not find expected '','' or '']'' (while parsing a flow sequence on line 3)',NULL,NULL,NULL,NULL,NULL,'2026-12-04T23:19:20.937381Z');
CREATE TABLE texts (hash TEXT PRIMARY KEY, text TEXT NOT NULL);
INSERT INTO "texts" VALUES('c277adfd2b7adf28','Correct (1/1).

A tag names one version of an image in a repository.');
INSERT INTO "texts" VALUES('4f53cda18c2baa0c','[]');
INSERT INTO "texts" VALUES('b5fea490693a766c','Correct (1/1).

alice/secret-app is private.

What the sandbox did:
  b) $ docker pull alice/secret-app:1.0
     Error response from daemon: pull access denied for alice/secret-app, repository does not exist or may require ''docker login'': denied: requested access to the resource is denied
     [exit code 1]');
INSERT INTO "texts" VALUES('a7b8080a42f5617f','["b) $ docker pull alice/secret-app:1.0", "   Error response from daemon: pull access denied for alice/secret-app, repository does not exist or may require ''docker login'': denied: requested access to the resource is denied", "   [exit code 1]"]');
INSERT INTO "texts" VALUES('d49554ba34bbfcbf','Correct (1/1).

There is no tag 2.0, so the pull fails with exit code 1.

What the sandbox did:
  $ docker pull alice/hello-web:2.0
  Error response from daemon: manifest for alice/hello-web:2.0 not found: manifest unknown: manifest unknown
  [exit code 1]');
INSERT INTO "texts" VALUES('770910042501013b','["$ docker pull alice/hello-web:2.0", "Error response from daemon: manifest for alice/hello-web:2.0 not found: manifest unknown: manifest unknown", "[exit code 1]"]');
INSERT INTO "texts" VALUES('d21611038b03776f','Correct (1/1).

docker tag gives an image one more name; nothing is copied.

What the sandbox did:
  $ docker tag alpine learner/base:2.0
  [exit code 0]
  goals:
  [met] image learner/base:2.0 exists on laptop, the same image as alpine (learner/base:2.0 is sha256:aded1e1a5b37, alpine is sha256:aded1e1a5b37)

Why, from the sandbox''s log:
  - alpine:latest pulled to laptop: 3642247 bytes downloaded
  - learner/base:2.0 now names image aded1e1a5b37');
INSERT INTO "texts" VALUES('9459d7b149bfa7f5','["$ docker tag alpine learner/base:2.0", "[exit code 0]", "goals:", "[met] image learner/base:2.0 exists on laptop, the same image as alpine (learner/base:2.0 is sha256:aded1e1a5b37, alpine is sha256:aded1e1a5b37)"]');
INSERT INTO "texts" VALUES('f00e53952a96435f','["alpine:latest pulled to laptop: 3642247 bytes downloaded", "learner/base:2.0 now names image aded1e1a5b37"]');
INSERT INTO "texts" VALUES('b24b05ddff4e8f22','Not graded (0/1): no answer.

alice/secret-app is private.

What the sandbox did:
  b) $ docker pull alice/secret-app:1.0
     Error response from daemon: pull access denied for alice/secret-app, repository does not exist or may require ''docker login'': denied: requested access to the resource is denied
     [exit code 1]');
INSERT INTO "texts" VALUES('7851a7d80824ce4d','Not graded (0/1): no answer.

There is no tag 2.0, so the pull fails with exit code 1.

What the sandbox did:
  $ docker pull alice/hello-web:2.0
  Error response from daemon: manifest for alice/hello-web:2.0 not found: manifest unknown: manifest unknown
  [exit code 1]');
INSERT INTO "texts" VALUES('cb1e978a21e2a921','Not graded (0/1): no answer.

docker tag gives an image one more name; nothing is copied.');
INSERT INTO "texts" VALUES('cb4f57ec56caecd9','Incorrect (0/1); the answer is a.

A tag names one version of an image in a repository.');
INSERT INTO "texts" VALUES('fdc54a2d36561fe7','Incorrect (0/1); the answer is b.

alice/secret-app is private.

What the sandbox did:
  a) $ docker pull alpine
     Using default tag: latest
     latest: Pulling from library/alpine
     f18232174bc9: Pull complete
     Digest: sha256:a8560b36e8b8210634f77d9f7f9efd7ffa463e380b75e2e74aff4511df3ef88c
     Status: Downloaded newer image for alpine:latest
     docker.io/library/alpine:latest
     [exit code 0]
  b) $ docker pull alice/secret-app:1.0
     Error response from daemon: pull access denied for alice/secret-app, repository does not exist or may require ''docker login'': denied: requested access to the resource is denied
     [exit code 1]

Why, from the sandbox''s log:
  - alpine:latest pulled to laptop: 3642247 bytes downloaded');
INSERT INTO "texts" VALUES('ff723b6adf68061a','["a) $ docker pull alpine", "   Using default tag: latest", "   latest: Pulling from library/alpine", "   f18232174bc9: Pull complete", "   Digest: sha256:a8560b36e8b8210634f77d9f7f9efd7ffa463e380b75e2e74aff4511df3ef88c", "   Status: Downloaded newer image for alpine:latest", "   docker.io/library/alpine:latest", "   [exit code 0]", "b) $ docker pull alice/secret-app:1.0", "   Error response from daemon: pull access denied for alice/secret-app, repository does not exist or may require ''docker login'': denied: requested access to the resource is denied", "   [exit code 1]"]');
INSERT INTO "texts" VALUES('8e69fe632e9d9305','["alpine:latest pulled to laptop: 3642247 bytes downloaded"]');
INSERT INTO "texts" VALUES('d8fecf47c50ae9f0','Incorrect (0/1); the exit code is 1.

There is no tag 2.0, so the pull fails with exit code 1.

What the sandbox did:
  $ docker pull alice/hello-web:2.0
  Error response from daemon: manifest for alice/hello-web:2.0 not found: manifest unknown: manifest unknown
  [exit code 1]');
INSERT INTO "texts" VALUES('5731979874481683','Not done (0/1).

docker tag gives an image one more name; nothing is copied.

What the sandbox did:
  $ docker images
  REPOSITORY   TAG       IMAGE ID       CREATED        SIZE
  alpine       latest    aded1e1a5b37   3 months ago   7.83MB
  [exit code 0]
  goals:
  [not met] image learner/base:1.0 exists on laptop, the same image as alpine (absent)

Why, from the sandbox''s log:
  - alpine:latest pulled to laptop: 3642247 bytes downloaded');
INSERT INTO "texts" VALUES('cc79736dfcb72ce2','["$ docker images", "REPOSITORY   TAG       IMAGE ID       CREATED        SIZE", "alpine       latest    aded1e1a5b37   3 months ago   7.83MB", "[exit code 0]", "goals:", "[not met] image learner/base:1.0 exists on laptop, the same image as alpine (absent)"]');
INSERT INTO "texts" VALUES('df10127d79a77ab6','Not done (0/1).

docker tag gives an image one more name; nothing is copied.

What the sandbox did:
  $ docker tag alpine learner/base:9.9
  [exit code 0]
  goals:
  [not met] image learner/base:2.0 exists on laptop, the same image as alpine (absent)

Why, from the sandbox''s log:
  - alpine:latest pulled to laptop: 3642247 bytes downloaded
  - learner/base:9.9 now names image aded1e1a5b37');
INSERT INTO "texts" VALUES('8b6d774b2790a9eb','["$ docker tag alpine learner/base:9.9", "[exit code 0]", "goals:", "[not met] image learner/base:2.0 exists on laptop, the same image as alpine (absent)"]');
INSERT INTO "texts" VALUES('dfb70c3e2e5e32e2','["alpine:latest pulled to laptop: 3642247 bytes downloaded", "learner/base:9.9 now names image aded1e1a5b37"]');
INSERT INTO "texts" VALUES('a7f3ba18e00e8d47','Not graded (0/1): unknown choice ''zz''; expected one of a, b.

A tag names one version of an image in a repository.');
INSERT INTO "texts" VALUES('f35b01d2cc1d6dfd','Not graded (0/1): expected one choice letter, got 2.

alice/secret-app is private.

What the sandbox did:
  b) $ docker pull alice/secret-app:1.0
     Error response from daemon: pull access denied for alice/secret-app, repository does not exist or may require ''docker login'': denied: requested access to the resource is denied
     [exit code 1]');
INSERT INTO "texts" VALUES('e4bd4a4b913709fd','Not graded (0/1): expected an exit code (a whole number from 0 to 255), got ''one''.

There is no tag 2.0, so the pull fails with exit code 1.

What the sandbox did:
  $ docker pull alice/hello-web:2.0
  Error response from daemon: manifest for alice/hello-web:2.0 not found: manifest unknown: manifest unknown
  [exit code 1]');
INSERT INTO "texts" VALUES('3109f55edb260e45','Not graded (0/1): no answer.

A tag names one version of an image in a repository.');
INSERT INTO "texts" VALUES('5b894d7ac4ba1838','Not done (0/1).

docker tag gives an image one more name; nothing is copied.

What the sandbox did:
  $ docker images
  REPOSITORY   TAG       IMAGE ID       CREATED        SIZE
  alpine       latest    aded1e1a5b37   3 months ago   7.83MB
  [exit code 0]
  goals:
  [not met] image learner/base:2.0 exists on laptop, the same image as alpine (absent)

Why, from the sandbox''s log:
  - alpine:latest pulled to laptop: 3642247 bytes downloaded');
INSERT INTO "texts" VALUES('03e3febcd6500676','["$ docker images", "REPOSITORY   TAG       IMAGE ID       CREATED        SIZE", "alpine       latest    aded1e1a5b37   3 months ago   7.83MB", "[exit code 0]", "goals:", "[not met] image learner/base:2.0 exists on laptop, the same image as alpine (absent)"]');
CREATE TABLE variants (
    quiz TEXT NOT NULL, question TEXT NOT NULL, version TEXT NOT NULL, variant INTEGER NOT NULL, prompt TEXT NOT NULL,
    setup TEXT NOT NULL, choices TEXT NOT NULL, PRIMARY KEY (quiz, question, version, variant));
INSERT INTO "variants" VALUES('tiny','tag-idea','70be39f5c0dc446c',0,'What is a tag for?','[]','[["a", "Naming a version of an image."], ["b", "Encrypting an image."]]');
INSERT INTO "variants" VALUES('tiny','pull-private','433561f19aa80a6b',0,'Nobody is logged in. Which pull fails?','[]','[["a", "docker pull alpine"], ["b", "docker pull alice/secret-app:1.0"]]');
INSERT INTO "variants" VALUES('tiny','missing-tag-exit','1f18c9c8d550427a',0,'What exit code does this pull give?','[]','[]');
INSERT INTO "variants" VALUES('tiny','tag-for-account','6c604e547fc4078f',0,'Name the image alpine learner/base:1.0 on this laptop.','["$ docker pull alpine"]','[]');
INSERT INTO "variants" VALUES('tiny','tag-for-account','6c604e547fc4078f',1,'Name the image alpine learner/base:2.0 on this laptop.','["$ docker pull alpine"]','[]');
CREATE UNIQUE INDEX submissions_graded ON submissions (digest) WHERE status = 'graded';
CREATE UNIQUE INDEX submissions_rejected ON submissions (path, coalesce(digest, '')) WHERE status = 'rejected';
CREATE INDEX submissions_current ON submissions (learner, quiz) WHERE status = 'graded' AND superseded_by IS NULL;
COMMIT;
