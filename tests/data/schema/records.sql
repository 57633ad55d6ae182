-- three records of the demo world as stored by every schema version so far (tests/upgrade.sh)
INSERT INTO records(type, id, body, updated_at) VALUES(0, 'sh-ic-univ', '{"description":"从事集成电路设计自动化、先进工艺时序分析与芯片验证的教学科研单位。","fields":["ic/eda","ic/design"],"id":"sh-ic-univ","kind":"university","name":"沪江理工大学集成电路学院","region":"310110","type":"org"}', 1796176047);
INSERT INTO records(type, id, body, updated_at) VALUES(1, 'exp-001', '{"active_year":2019,"bio":"郭俊杰长期从事低功耗设计研究，主持国家级项目多项，在功耗分析、综合优化、逻辑综合方面有系统积累。","fields":["ic/eda"],"id":"exp-001","keywords":["低功耗设计","功耗分析","综合优化","逻辑综合"],"name":"郭俊杰","org":"sh-ic-univ","outputs_count":83,"title":"教授","type":"expert"}', 1796176047);
INSERT INTO records(type, id, body, updated_at) VALUES(2, 'out-001', '{"abstract":"针对物理设计中存在的效率与可靠性问题，提出布局布线新方案，实验表明关键指标提升58%以上。","experts":["exp-001"],"fields":["ic/eda"],"id":"out-001","keywords":["布局布线","物理设计"],"kind":"paper","lang":"zh","org":"sh-ic-univ","title":"一种基于布局布线的物理设计方法","trl":2,"type":"output","year":2021}', 1796176047);
INSERT INTO refs(type, id, to_type, to_id, field) VALUES(1, 'exp-001', 0, 'sh-ic-univ', 'org');
INSERT INTO refs(type, id, to_type, to_id, field) VALUES(2, 'out-001', 1, 'exp-001', 'experts[0]');
INSERT INTO refs(type, id, to_type, to_id, field) VALUES(2, 'out-001', 0, 'sh-ic-univ', 'org');
INSERT INTO outbox(type, id, op) VALUES(0, 'sh-ic-univ', 'put');
INSERT INTO outbox(type, id, op) VALUES(1, 'exp-001', 'put');
INSERT INTO outbox(type, id, op) VALUES(2, 'out-001', 'put');
