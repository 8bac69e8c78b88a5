/**
 * The one catalogue of words people read (DESIGN.md §4). Code stores and sends facts — a key and
 * its parameters — and the words are rendered from here when read: zh-CN by default, English on
 * request. Placeholders: `{name}` is the parameter as it is; `{name:ns}` renders the entry
 * `ns.<value>` when there is one (so `{status:taskStatus}` shows 已认领 for CLAIMED).
 */
export const catalogue = {
  // ── Errors every service may raise ─────────────────────────────────────────────
  'error.internal': { 'zh-CN': '内部错误', en: 'internal error' },
  'error.badInput': { 'zh-CN': '{field}：{detail}', en: '{field}: {detail}' },
  'auth.signInRequired': { 'zh-CN': '请先登录：此操作需要令牌', en: 'sign in first: this needs a token' },
  'auth.gatewayOnly': {
    'zh-CN': '本服务只接受网关的请求（须带网关签发的有效凭证）',
    en: 'this service answers the gateway only (with a valid credential it signed)',
  },
  'auth.tokenInvalid': { 'zh-CN': '令牌无效或已过期', en: 'the token is not valid or has expired' },
  'auth.tokenLifetime': {
    'zh-CN': '令牌有效期不得超过 {hours} 小时',
    en: 'a token may be valid for at most {hours} hours',
  },
  'auth.unknownDepartment': {
    'zh-CN': '令牌所属的部门 {department:department} 不存在',
    en: 'the token names a department that does not exist: {department:department}',
  },
  'auth.roleForbidden': { 'zh-CN': '{role:role}无权{action:action}', en: '{role:role} may not {action:action}' },
  'auth.departmentForbidden': {
    'zh-CN': '{department:department}的工作人员无权为{target:department}{action:action}',
    en: '{department:department} staff may not {action:action} for {target:department}',
  },
  'auth.tasksForbidden': {
    'zh-CN': '{who:party}无权查看{department:department}的任务',
    en: "{who:party} may not see {department:department}'s tasks",
  },
  'auth.resultsForbidden': {
    'zh-CN': '{who:party}无权录入{department:department}的检查结果',
    en: "{who:party} may not record {department:department}'s results",
  },
  'notFound.entity': { 'zh-CN': '未找到{kind:entity} {id}', en: '{kind:entity} {id} not found' },

  // ── Input checks (zod issues are rendered through these, from their codes) ─────
  'input.required': { 'zh-CN': '必填', en: 'is required' },
  'input.invalidType': { 'zh-CN': '类型应为{expected:valueType}', en: 'must be {expected:valueType}' },
  // What a value should have been (zod's names for them), in words.
  'valueType.string': { 'zh-CN': '文本', en: 'text' },
  'valueType.number': { 'zh-CN': '数字', en: 'a number' },
  'valueType.int': { 'zh-CN': '整数', en: 'a whole number' },
  'valueType.boolean': { 'zh-CN': '是或否（true/false）', en: 'true or false' },
  'valueType.array': { 'zh-CN': '列表', en: 'a list' },
  'valueType.object': { 'zh-CN': '对象', en: 'an object' },
  'valueType.date': { 'zh-CN': '日期', en: 'a date' },
  'valueType.bigint': { 'zh-CN': '整数', en: 'a whole number' },
  'valueType.record': { 'zh-CN': '对象', en: 'an object' },
  'valueType.tuple': { 'zh-CN': '列表', en: 'a list' },
  'valueType.null': { 'zh-CN': '空值（null）', en: 'null' },
  'input.empty': { 'zh-CN': '不能为空', en: 'must not be empty' },
  'input.tooShort': { 'zh-CN': '至少 {minimum} 个字符', en: 'must have at least {minimum} characters' },
  'input.tooLong': { 'zh-CN': '最多 {maximum} 个字符', en: 'must have at most {maximum} characters' },
  'input.tooSmall': { 'zh-CN': '不能小于 {minimum}', en: 'must be at least {minimum}' },
  'input.tooBig': { 'zh-CN': '不能大于 {maximum}', en: 'must be at most {maximum}' },
  'input.tooFewItems': { 'zh-CN': '至少 {minimum} 项', en: 'must have at least {minimum} items' },
  'input.tooManyItems': { 'zh-CN': '最多 {maximum} 项', en: 'must have at most {maximum} items' },
  'input.notOneOf': { 'zh-CN': '应为以下之一：{values}', en: 'must be one of: {values}' },
  'input.invalidDate': { 'zh-CN': '不是有效日期（YYYY-MM-DD）', en: 'not a date YYYY-MM-DD' },
  'input.dateTooEarly': { 'zh-CN': '日期不得早于{earliest}', en: 'must not be before {earliest}' },
  'input.dateTooLate': { 'zh-CN': '日期不得晚于{latest}', en: 'must not be after {latest}' },
  'input.invalidFormat': { 'zh-CN': '格式不正确（{format}）', en: 'not a valid {format}' },
  'input.unknownKeys': { 'zh-CN': '不认识的字段：{keys}', en: 'unknown fields: {keys}' },
  'input.listedTwice': { 'zh-CN': '“{value}”重复列出', en: '"{value}" is listed twice' },
  'input.invalid': { 'zh-CN': '无效', en: 'is not valid' },
  'input.badCharacter': {
    'zh-CN': '第 {position} 个字符（{codePoint}）不允许：{problem:textProblem}',
    en: 'character {position} ({codePoint}) is not allowed: {problem:textProblem}',
  },
  'textProblem.NUL': { 'zh-CN': '空字符（NUL）', en: 'a NUL character' },
  'textProblem.CONTROL': { 'zh-CN': '控制字符', en: 'a control character' },
  'textProblem.LINE_BREAK': {
    'zh-CN': '此处只能填写一行（不含换行符、制表符）',
    en: 'this field is one line (no line break or tab)',
  },
  'textProblem.BIDI': {
    'zh-CN': '双向文字控制字符（会使显示与内容不符）',
    en: 'a bidirectional formatting character (text would display other than it is)',
  },
  'idempotency.badKey': {
    'zh-CN': '幂等键应为 8 到 128 个字母、数字或 . _ : ~ -（建议使用 UUID）',
    en: 'an idempotency key is 8 to 128 letters, digits or . _ : ~ - (a UUID, say)',
  },
  'idempotency.reused': {
    'zh-CN': '此幂等键已用于另一个请求（{operation}），请为新的请求使用新的键',
    en: 'this idempotency key was used for another request ({operation}); use a new key for a new request',
  },
  'textProblem.SURROGATE': { 'zh-CN': '不成对的 UTF-16 代理字符', en: 'an unpaired UTF-16 surrogate' },
  'textProblem.INVISIBLE': {
    'zh-CN': '不可见字符（零宽字符、字节顺序标记、标签字符等，会使看似相同的文字实际不同）',
    en: 'an invisible character (zero-width, byte-order mark, tag …: text that looks the same would differ)',
  },
  'input.nothingToChange': { 'zh-CN': '没有要修改的内容', en: 'nothing to change' },
  'input.notAfterToday': { 'zh-CN': '不得晚于今天（{today}）', en: 'must not be after today ({today})' },
  'input.notBefore': { 'zh-CN': '不得早于{what:when}（{date}）', en: 'must not be before {what:when} ({date})' },
  'input.notBeforeToday': { 'zh-CN': '不得早于今天（{today}）', en: 'must not be before today ({today})' },
  'input.wholeNumberRange': {
    'zh-CN': '应为 {minimum} 到 {maximum} 之间的整数',
    en: 'must be a whole number from {minimum} to {maximum}',
  },
  'page.firstRange': { 'zh-CN': '应在 1 到 {maximum} 之间', en: 'must be between 1 and {maximum}' },
  'page.badCursor': { 'zh-CN': '不是本列表的游标', en: 'not a cursor from this list' },

  // ── Codes ──────────────────────────────────────────────────────────────────────
  'uscc.invalid': {
    'zh-CN': '不是有效的统一社会信用代码：{reason:usccReason}',
    en: 'not a valid unified social credit code: {reason:usccReason}',
  },
  'usccReason.EMPTY': { 'zh-CN': '代码为空', en: 'code is empty' },
  'usccReason.LENGTH': { 'zh-CN': '应为 18 位', en: 'must be 18 characters' },
  'usccReason.CHARACTER': {
    'zh-CN': '含有不允许的字符（不使用 I、O、S、V、Z）',
    en: 'contains a character that is not allowed (I, O, S, V, Z are never used)',
  },
  'usccReason.AUTHORITY': {
    'zh-CN': '第 1 位登记管理部门代码不是 1–9、A、N、Y 之一',
    en: 'registration authority (position 1) is not one of 1-9, A, N, Y',
  },
  'usccReason.CATEGORY': { 'zh-CN': '第 2 位机构类别应为数字 1–9', en: 'category (position 2) must be a digit 1-9' },
  'usccReason.DIVISION': {
    'zh-CN': '第 3–8 位行政区划码应为 6 位数字',
    en: 'administrative division (positions 3-8) must be 6 digits',
  },
  'usccReason.ORG_CHECK': {
    'zh-CN': '第 17 位组织机构代码校验码不正确',
    en: 'organisation code check character (position 17) is wrong',
  },
  'usccReason.CHECK': { 'zh-CN': '第 18 位校验码不正确', en: 'check character (position 18) is wrong' },
  'industry.unknown': {
    'zh-CN': '不在本系统的 GB/T 4754-2017 行业表中（收录门类、大类及部分中类，例如“H”“62”“621”）',
    en: 'not in this system\'s GB/T 4754-2017 table (its sections, divisions and some groups, e.g. "H", "62", "621")',
  },
  'industry.divisionRequired': {
    'zh-CN': '经营主体登记到大类或中类，不能只填门类（例如“62”而不是“H”）',
    en: 'a business registers under a division or group, not a bare section (e.g. "62", not "H")',
  },
  'region.invalid': { 'zh-CN': '行政区划代码应为 6 位数字', en: 'an administrative division code has 6 digits' },
  'industry.unknownSection': {
    'zh-CN': '不是 GB/T 4754-2017 门类字母',
    en: 'not a GB/T 4754-2017 section letter',
  },
  'calendar.yearRange': { 'zh-CN': '年份须为四位整数', en: 'the year must be a 4-digit whole number' },
  'calendar.notDate': {
    'zh-CN': '“{value}”不是 YYYY-MM-DD 形式的有效日期',
    en: '"{value}" is not a real date in YYYY-MM-DD form',
  },
  'calendar.dateOutsideYear': { 'zh-CN': '{date} 不在 {year} 年内', en: '{date} is not in {year}' },
  'calendar.dateTwice': { 'zh-CN': '{date} 重复列出', en: '{date} is listed twice' },
  'calendar.workdayNotWeekend': {
    'zh-CN': '{date} 不是周六或周日：调休上班日只能是周末',
    en: '{date} is not a Saturday or Sunday: a 调休 working day is a weekend day',
  },
  'calendar.dayBothWays': {
    'zh-CN': '{date} 不能既是放假日又是调休上班日',
    en: '{date} cannot be both a day off and a working weekend day',
  },

  // ── Departments and routing ────────────────────────────────────────────────────
  'department.required': {
    'zh-CN': '请指明部门：调用者不属于任何部门',
    en: 'name the department: the caller belongs to none',
  },
  'department.unknown': {
    'zh-CN': '未配置的部门：{department:department}',
    en: 'no such department: {department:department}',
  },
  'department.wrongInstance': {
    'zh-CN': '本实例服务于{serves:department}，而非{target:department}',
    en: 'this instance serves {serves:department}, not {target:department}',
  },
  'department.unavailable': {
    'zh-CN': '部门 {department:department} 暂不可用',
    en: 'department {department:department} is unavailable',
  },
  'department.oneFragmentOneDepartment': {
    'zh-CN': '一个片段只能询问一个部门',
    en: 'one fragment may ask only one department',
  },
  // The gateway names no service: which one is down is an inside detail (issue 8).
  'service.unavailable': {
    'zh-CN': '部分数据暂不可用，请稍后再试',
    en: 'part of the answer is unavailable; try again later',
  },
  'limits.exceeded': {
    'zh-CN': '查询的{limit:limitKind}超过上限',
    en: 'the operation exceeds its {limit:limitKind} limit',
  },
  'limits.exceededMaximum': {
    'zh-CN': '查询的{limit:limitKind}超过上限 {maximum}',
    en: 'the operation exceeds its {limit:limitKind} limit of {maximum}',
  },
  'limitKind.depth': { 'zh-CN': '嵌套深度', en: 'depth' },
  'limitKind.aliases': { 'zh-CN': '别名数', en: 'alias' },
  'limitKind.directives': { 'zh-CN': '指令数', en: 'directive' },
  'limitKind.tokens': { 'zh-CN': '词法单元数', en: 'token' },
  'limitKind.cost': { 'zh-CN': '估算成本', en: 'cost' },
  'limits.rate': {
    'zh-CN': '请求过于频繁，请 {retryAfter} 秒后再试',
    en: 'too many requests; try again in {retryAfter} s',
  },
  'request.invalidJson': { 'zh-CN': '请求体不是有效的 JSON', en: 'the request body is not valid JSON' },
  'request.bodyTooLarge': {
    'zh-CN': '请求体过大：最多 {maximum} 字节',
    en: 'the request body is too large: at most {maximum} bytes',
  },
  'request.contentType': {
    'zh-CN': '请求体须为 application/json（UTF-8）',
    en: 'the request body must be application/json (UTF-8)',
  },
  'request.csrf': {
    'zh-CN': '请求疑为跨站请求伪造，已拒绝：请以 application/json 提交，或带上以下请求头之一（非空）：{headers}',
    en: 'refused as a possible cross-site request forgery: send application/json, or one of these headers, non-empty: {headers}',
  },
  'request.notObject': { 'zh-CN': '请求体须为一个 JSON 对象', en: 'the request body must be one JSON object' },
  'request.batch': {
    'zh-CN': '不支持批量请求：每次请求只提交一个操作',
    en: 'batched requests are not supported: send one operation per request',
  },
  'request.mustBeString': { 'zh-CN': '请求中的 {member} 须为字符串', en: '`{member}` in the request must be a string' },
  'request.mustBeObject': {
    'zh-CN': '请求中的 {member} 须为 JSON 对象',
    en: '`{member}` in the request must be a JSON object',
  },
  'request.paramNotJson': {
    'zh-CN': '查询参数 {member} 不是有效的 JSON',
    en: 'the search parameter `{member}` is not valid JSON',
  },
  'request.queryMissing': {
    'zh-CN': '请求中缺少查询文档（query）',
    en: 'the request carries no query document (`query`)',
  },
  'request.persistedQuery': {
    'zh-CN': '不支持持久化查询：请在 query 中提交完整的查询文档',
    en: 'persisted queries are not supported: send the whole document in `query`',
  },
  'graphql.invalid': { 'zh-CN': '查询无效：{detail}', en: '{detail}' },
  'graphql.unknownField': { 'zh-CN': '查询无效：类型 {type} 没有字段 {field}', en: 'type {type} has no field {field}' },
  'graphql.unknownArgument': {
    'zh-CN': '查询无效：字段 {field} 没有参数 {argument}',
    en: 'field {field} has no argument {argument}',
  },
  'graphql.missingArgument': {
    'zh-CN': '查询无效：字段 {field} 缺少必填参数 {argument}（{type}）',
    en: 'field {field} needs its argument {argument} ({type})',
  },
  'graphql.missingVariable': {
    'zh-CN': '查询无效：变量 ${variable}（{type}）必须提供且不能为 null',
    en: 'the variable ${variable} ({type}) must be given and not null',
  },
  'graphql.missingInputField': {
    'zh-CN': '查询无效：缺少必填字段 {inputField}（{type}）',
    en: 'the field {inputField} ({type}) is required',
  },
  'graphql.unknownInputField': {
    'zh-CN': '查询无效：{type} 没有字段 {inputField}',
    en: '{type} has no field {inputField}',
  },
  'graphql.unknownEnumValue': {
    'zh-CN': '查询无效：“{value}”不是 {type} 的可选值',
    en: '"{value}" is not a value of {type}',
  },
  'graphql.wrongType': { 'zh-CN': '查询无效：值的类型不对，应为 {type}', en: 'the value must be of type {type}' },
  'graphql.noSubfields': {
    'zh-CN': '查询无效：字段 {field} 的类型 {type} 没有子字段，不能再选择',
    en: 'field {field} is of type {type}, which has no subfields to select',
  },
  'graphql.subfieldsRequired': {
    'zh-CN': '查询无效：字段 {field}（{type}）须选择子字段',
    en: 'field {field} ({type}) needs a selection of subfields',
  },
  'graphql.nullValue': { 'zh-CN': '查询无效：值不能为 null（{type}）', en: 'the value must not be null ({type})' },
  'graphql.variableTypeMismatch': {
    'zh-CN': '查询无效：变量 ${variable} 声明为 {given}，此处须为 {type}',
    en: 'the variable ${variable} is declared {given} where {type} is expected',
  },
  'graphql.undefinedVariable': {
    'zh-CN': '查询无效：变量 ${variable} 未声明',
    en: 'the variable ${variable} is not declared',
  },
  'graphql.unusedVariable': {
    'zh-CN': '查询无效：变量 ${variable} 声明了却未使用',
    en: 'the variable ${variable} is declared but not used',
  },
  'graphql.unknownType': { 'zh-CN': '查询无效：没有类型 {type}', en: 'there is no type {type}' },
  'graphql.unknownFragment': {
    'zh-CN': '查询无效：没有名为 {fragment} 的片段',
    en: 'there is no fragment named {fragment}',
  },
  'graphql.unknownDirective': { 'zh-CN': '查询无效：没有指令 @{directive}', en: 'there is no directive @{directive}' },
  'graphql.duplicateArgument': {
    'zh-CN': '查询无效：参数 {argument} 重复',
    en: 'the argument {argument} is given twice',
  },
  'graphql.duplicateOperation': {
    'zh-CN': '查询无效：有多个名为 {operation} 的操作',
    en: 'there are several operations named {operation}',
  },
  'graphql.anonymousNotAlone': {
    'zh-CN': '查询无效：匿名操作只能是文档中唯一的操作',
    en: 'an anonymous operation must be the only operation of its document',
  },
  'graphql.subscriptionsNotSupported': {
    'zh-CN': 'OneCheck 不提供订阅（subscription）：请查询，或订阅 Kafka 上的事件',
    en: 'OneCheck offers no subscriptions: query, or consume the events on Kafka',
  },
  'graphql.syntax': { 'zh-CN': '查询语法错误：{detail}', en: '{detail}' },
  'graphql.unknownOperation': {
    'zh-CN': '查询文档中没有名为“{operationName}”的操作',
    en: 'the document has no operation named "{operationName}"',
  },
  'graphql.operationNameRequired': {
    'zh-CN': '查询文档含多个操作：须以 operationName 指明执行哪一个',
    en: 'the document has several operations: operationName must name the one to run',
  },

  // ── Businesses, licences, tasks, items, inspectors ─────────────────────────────
  'business.alreadyRegistered': {
    'zh-CN': '统一社会信用代码为 {uscc} 的经营主体已登记',
    en: 'a business with credit code {uscc} is already registered',
  },
  'business.deregistered': { 'zh-CN': '经营主体 {uscc} 已注销', en: 'business {uscc} is deregistered' },
  'business.revoked': {
    'zh-CN': '经营主体 {uscc} 的营业执照已被吊销',
    en: 'the business licence of {uscc} has been revoked',
  },
  'business.deregisteredNoChange': {
    'zh-CN': '经营主体 {uscc} 已注销，不能再变更',
    en: 'business {uscc} is deregistered and can no longer change',
  },
  'business.unknownToBureau': {
    'zh-CN': '审批局尚不知道已登记的经营主体 {uscc}',
    en: 'no registered business {uscc} is known to the approval bureau',
  },
  'licence.numberTaken': {
    'zh-CN': '许可证号 {licenceNumber} 已被使用',
    en: 'licence number {licenceNumber} is already in use',
  },
  'licence.transition': {
    'zh-CN': '{from:licenceStatus}的许可不能变为{to:licenceStatus}',
    en: 'a {from:licenceStatus} licence cannot become {to:licenceStatus}',
  },
  'licence.notChangeable': {
    'zh-CN': '许可 {id} 已{status:licenceStatus}',
    en: 'licence {id} is {status:licenceStatus}',
  },
  'task.notPendingClaim': {
    'zh-CN': '任务 {id} 状态为{status:taskStatus}，不在待认领状态',
    en: 'task {id} is {status:taskStatus}, not waiting to be claimed',
  },
  'task.notClaimed': {
    'zh-CN': '任务 {id} 状态为{status:taskStatus}：只有已认领的任务才能录入结果',
    en: 'task {id} is {status:taskStatus}: only a claimed task takes a result',
  },
  'task.resultFindings': {
    'zh-CN': '发现问题时至少录入一条问题，未发现问题时不录入',
    en: 'PROBLEMS_FOUND needs at least one finding, NO_PROBLEM none',
  },
  'task.closed.LICENCE_REVOKED': {
    'zh-CN': '许可 {licenceNumber} 已吊销',
    en: 'licence {licenceNumber} revoked',
  },
  'task.closed.LICENCE_CANCELLED': {
    'zh-CN': '许可 {licenceNumber} 已注销',
    en: 'licence {licenceNumber} cancelled',
  },
  // 审管联动 both ways (issue 9): licence acts and their owners (行政处罚法 §9, §63; 行政许可法 §8, §69, §70)
  'task.closed.LICENCE_ANNULLED': { 'zh-CN': '许可 {licenceNumber} 已撤销', en: 'licence {licenceNumber} annulled' },
  'task.closed.LICENCE_WITHDRAWN': { 'zh-CN': '许可 {licenceNumber} 已撤回', en: 'licence {licenceNumber} withdrawn' },
  'task.closed.LICENCE_EXPIRED': { 'zh-CN': '许可 {licenceNumber} 有效期届满', en: 'licence {licenceNumber} expired' },
  'task.closed.CODE_REFUSED': {
    'zh-CN': '市场监管部门不予赋码，检查不得实施（未经赋码备案不得检查）',
    en: 'the office refused to code the check: it may not take place (no code, no inspection)',
  },
  'licence.departmentDecides': {
    'zh-CN': '{status:licenceStatus}由监管部门依法决定并推送（行政处罚法第九条、第六十三条），审批局不能直接设置',
    en: "a licence is {status:licenceStatus} by the supervising department's decision, pushed to the bureau; the bureau cannot set it",
  },
  'licence.departmentLifts': {
    'zh-CN': '责令停产停业由作出决定的监管部门解除并推送（行政处罚法第九条、第六十三条），审批局不能直接恢复许可',
    en: 'a suspension is lifted by the supervising department that ordered it, pushed to the bureau; the bureau cannot reinstate the licence',
  },
  'licence.endsByItself': {
    'zh-CN': '有效期届满的许可依法自行终止（行政许可法第七十条第（一）项），由系统在有效期届满次日记录，不能手动设置',
    en: 'a licence expires by itself when its validity ends (行政许可法 §70(1)), recorded the day after; it cannot be set',
  },
  'licence.actRequiresDocument': {
    'zh-CN': '作出{status:licenceStatus}决定须填写决定书文号和法律依据',
    en: 'a decision to make a licence {status:licenceStatus} needs its document number and legal basis',
  },
  'licenceAct.notSupervised': {
    'zh-CN': '许可 {licenceId} 不由本部门监管，不能推送',
    en: 'licence {licenceId} is not supervised by this department',
  },
  'licenceAct.licenceEnded': {
    'zh-CN': '许可 {licenceNumber} 已终止（{status:licenceStatus}），不能再推送',
    en: 'licence {licenceNumber} has ended ({status:licenceStatus}): nothing more can be pushed on it',
  },
  'licenceAct.notSuspended': {
    'zh-CN': '许可 {licenceNumber} 没有本部门责令停产停业且未解除的决定，无可解除',
    en: 'licence {licenceNumber} has no suspension ordered by this department still in force: nothing to lift',
  },
  'licenceAct.suspendedAlready': {
    'zh-CN': '许可 {licenceNumber} 已由本部门责令停产停业（{documentNumber}），尚未解除',
    en: 'licence {licenceNumber} is already suspended by this department ({documentNumber}) and not yet lifted',
  },
  'licenceAct.pushedAlready': {
    'zh-CN': '决定书 {documentNumber} 已推送（{id}），同一决定不重复推送',
    en: 'decision {documentNumber} was pushed already ({id}): one decision is pushed once',
  },
  'licenceAct.notPendingClaim': {
    'zh-CN': '推送信息 {id} 状态为{status:licenceActStatus}，不在待认领状态',
    en: 'pushed act {id} is {status:licenceActStatus}, not waiting to be claimed',
  },
  'licenceAct.notAnswerable': {
    'zh-CN': '推送信息 {id} 状态为{status:licenceActStatus}：只有已认领的函告才能答复',
    en: 'pushed act {id} is {status:licenceActStatus}: only a claimed request is answered',
  },
  'licenceAct.decisionNotAnswered': {
    'zh-CN': '{kind:licenceActKind}是监管部门的决定，审批局认领即可，无须答复',
    en: "{kind:licenceActKind} is the department's own decision: the bureau claims it, it does not answer it",
  },
  'item.codeFormat': {
    'zh-CN': '事项编码只能由字母、数字、“.”、“_”或“-”组成，最多 64 位',
    en: 'letters, digits, ".", "_" or "-", at most 64',
  },
  'inspector.badgeFormat': { 'zh-CN': '执法证号应为 4 到 32 位字母、数字或“-”', en: '4 to 32 letters, digits or "-"' },
  'inspector.badgeTaken': {
    'zh-CN': '执法证号 {badgeNumber} 已在名录中',
    en: 'badge number {badgeNumber} is already in the directory',
  },

  // ── Credit (信用风险分类): the facts behind a class, rendered when read ────────
  'credit.rule.NEW': {
    'zh-CN': '已登记，尚无信用记录：在信用记录积累之前按一般风险（B）管理。',
    en: 'Registered, no credit records yet: general risk (B) until records accumulate.',
  },
  'credit.rule.DEFAULT': {
    'zh-CN': '尚无信用记录：默认一般风险（B）。',
    en: 'No credit records yet: general risk (B) by default.',
  },
  'credit.rule.NO_FINDINGS': {
    'zh-CN': '近 {months} 个月无发现问题：一般风险（B）。',
    en: 'No findings in the last {months} months: general risk (B).',
  },
  'credit.rule.SOME_FINDINGS': {
    'zh-CN': '近 {months} 个月有 {findings} 条轻微或一般问题：一般风险（B）。',
    en: '{findings} minor or general finding(s) in the last {months} months: general risk (B).',
  },
  'credit.rule.PENALTIES_OR_GENERAL': {
    'zh-CN': '近 {months} 个月有 {penalties} 起立案处罚、{general} 条一般问题：较高风险（C）。',
    en: '{penalties} penalty case(s) and {general} general finding(s) in the last {months} months: higher risk (C).',
  },
  'credit.rule.SERIOUS': {
    'zh-CN': '近 {months} 个月有 {serious} 条严重问题：高风险（D）。',
    en: '{serious} serious finding(s) in the last {months} months: high risk (D).',
  },
  'credit.rule.LEGACY': {
    'zh-CN': '该分类评定于平台保存评定依据之前，依据未留存；下次重新评定时更新。',
    en: 'Classified before the platform kept the grounds of a class: not recorded; updated at the next reclassification.',
  },

  // ── Names of things, used through {x:ns} placeholders ──────────────────────────
  'entity.business': { 'zh-CN': '经营主体', en: 'business' },
  'entity.licence': { 'zh-CN': '许可', en: 'licence' },
  'entity.supervisionTask': { 'zh-CN': '监管任务', en: 'supervision task' },
  'entity.supervisionItem': { 'zh-CN': '监管事项', en: 'supervision item' },
  'entity.inspector': { 'zh-CN': '执法检查人员', en: 'inspector' },
  'entity.calendarYear': { 'zh-CN': '工作日历年度', en: 'calendar year' },
  // 抽查检查结果 (domain-notes §5; ResultCategory): 一业一册's 常见问题 and the public pages show them.
  'resultCategory.NO_PROBLEM': { 'zh-CN': '未发现问题', en: 'no problem found' },
  'resultCategory.INFO_NOT_DISCLOSED': {
    'zh-CN': '未按规定公示应当公示的信息',
    en: 'information that must be disclosed was not disclosed',
  },
  'resultCategory.INFO_FALSIFIED': {
    'zh-CN': '公示信息隐瞒真实情况、弄虚作假',
    en: 'disclosed information concealed the facts or was falsified',
  },
  'resultCategory.UNREACHABLE_AT_ADDRESS': {
    'zh-CN': '通过登记的住所（经营场所）无法联系',
    en: 'not reachable at the registered address (premises)',
  },
  'resultCategory.PROBLEM_CORRECTED': { 'zh-CN': '发现问题已责令改正', en: 'problem found, correction ordered' },
  'resultCategory.PROBLEM_PENDING': { 'zh-CN': '发现问题待后续处理', en: 'problem found, to be handled further' },
  'resultCategory.OBSTRUCTED': { 'zh-CN': '不配合检查情节严重', en: 'seriously obstructed the check' },
  'resultCategory.NO_RELEVANT_ACTIVITY': {
    'zh-CN': '未发现开展本次抽查涉及的经营活动',
    en: 'no business activity this check concerns was found',
  },
  'resultCategory.CLOSED_OR_LIQUIDATING': { 'zh-CN': '已关闭停业或正在组织清算', en: 'closed or in liquidation' },
  'resultCategory.DEREGISTERED_OR_REVOKED': {
    'zh-CN': '注销 / 吊销 / 撤销 / 迁出',
    en: 'deregistered, licence revoked, registration cancelled or moved away',
  },
  'resultCategory.DEPARTMENT_RULE_VIOLATED': {
    'zh-CN': '违反部门相关规定',
    en: "violated the department's rules",
  },
  'role.public': { 'zh-CN': '公众', en: 'the public' },
  'role.office': { 'zh-CN': '双随机办公室', en: 'the office' },
  'role.staff': { 'zh-CN': '部门工作人员', en: 'staff' },
  'role.inspector': { 'zh-CN': '执法检查人员', en: 'an inspector' },
  'role.approver': { 'zh-CN': '审批人员', en: 'an approver' },
  'role.auditor': { 'zh-CN': '纪检监察人员', en: 'an auditor' },
  'action.publishItems': { 'zh-CN': '发布监管事项', en: 'publish supervision items' },
  'action.withdrawItems': { 'zh-CN': '撤回监管事项', en: 'withdraw supervision items' },
  'action.claimTasks': { 'zh-CN': '认领任务', en: 'claim tasks' },
  'action.recordResults': { 'zh-CN': '录入检查结果', en: 'record check results' },
  'action.addInspectors': { 'zh-CN': '添加执法检查人员', en: 'add inspectors' },
  'action.registerBusinesses': { 'zh-CN': '登记经营主体', en: 'register businesses' },
  'action.changeBusinesses': { 'zh-CN': '变更经营主体', en: 'change businesses' },
  'action.grantLicences': { 'zh-CN': '核发许可', en: 'grant licences' },
  'action.changeLicences': { 'zh-CN': '变更许可', en: 'change licences' },
  'action.setCalendar': { 'zh-CN': '设置工作日历', en: 'set the working calendar' },
  'action.readAuditTrail': { 'zh-CN': '查看全程留痕记录', en: 'read the audit trail' },
  // Acts a service does by itself on an event or a timer, as its audit trail names them (issue 9 item 2).
  'action.answerLicenceActs': { 'zh-CN': '办理监管部门推送的信息', en: 'answer pushed licence acts' },
  'action.expireLicences': { 'zh-CN': '许可有效期届满', en: 'expire licences' },
  'action.receiveBusinesses': { 'zh-CN': '接收经营主体信息', en: 'receive business records' },
  'action.receiveLicences': { 'zh-CN': '接收许可信息', en: 'receive licences' },
  'action.receiveLicenceActs': { 'zh-CN': '接收监管部门推送的信息', en: 'receive pushed licence acts' },
  'action.receiveCheckResults': { 'zh-CN': '接收监管结果反馈', en: 'receive check results' },
  'action.receiveCalendar': { 'zh-CN': '接收工作日历', en: 'receive the working calendar' },
  'action.receiveFindings': { 'zh-CN': '接收检查发现', en: 'receive findings' },
  // ── Findings and their handling (issue 11 item 4) ─────────────────────────────
  'entity.finding': { 'zh-CN': '发现问题', en: 'finding' },
  'entity.penaltyDecision': { 'zh-CN': '处罚决定', en: 'penalty decision' },
  'entity.transfer': { 'zh-CN': '移交（抄告）', en: 'transfer' },
  'action.readFindings': { 'zh-CN': '查看发现问题及其处置', en: 'read findings and their handling' },
  'action.recheckFindings': { 'zh-CN': '整改复查', en: 're-check rectifications' },
  'action.decidePenalties': { 'zh-CN': '作出行政处罚决定', en: 'decide penalties' },
  'action.answerTransfers': { 'zh-CN': '接收或退回移交的问题', en: 'accept or refuse transfers' },
  'action.recordJudicialFeedback': { 'zh-CN': '登记司法机关反馈', en: 'record judicial feedback' },
  'action.receiveTransfers': { 'zh-CN': '接收其他部门移交的问题', en: 'receive transfers' },
  'action.receiveFindingSteps': { 'zh-CN': '接收问题处置情况', en: "receive findings' handling" },
  'action.receivePenalties': { 'zh-CN': '接收行政处罚决定', en: 'receive penalty decisions' },
  'action.receiveAbnormalListings': { 'zh-CN': '接收经营异常名录信息', en: 'receive abnormal operations listings' },
  'finding.dueOnRequired': {
    'zh-CN': '责令整改须写明整改期限',
    en: 'a rectification order needs the day it is due (dueOn)',
  },
  'finding.dueOnAfterCheck': {
    'zh-CN': '整改期限须晚于检查日（{date}）',
    en: 'the rectification must be due after the day of the check ({date})',
  },
  'finding.transferToRequired': { 'zh-CN': '移交须写明接收部门', en: 'a transfer needs the receiving department' },
  'finding.transferToSelf': {
    'zh-CN': '不能移交给本部门（{department:department}）',
    en: 'a finding cannot be transferred to its own department ({department:department})',
  },
  'finding.judicialOrganRequired': {
    'zh-CN': '移送司法须写明接收机关',
    en: 'a transfer to the judiciary needs the receiving organ',
  },
  'finding.notHandledAs': {
    'zh-CN': '该问题的处置方式为{handling:findingHandling}，不能{action:action}',
    en: 'this finding is handled as {handling:findingHandling}: it cannot be used to {action:action}',
  },
  'finding.closed': { 'zh-CN': '该问题已办结', en: 'this finding is closed' },
  'finding.notOfLicence': {
    'zh-CN': '{findingId} 不是本部门对该许可持有人发现的问题',
    en: '{findingId} is not a finding of this department on the licence holder',
  },
  'finding.beforeRecorded': {
    'zh-CN': '不得早于发现问题之日（{date}）',
    en: 'must not be before the day the finding was recorded ({date})',
  },
  'auth.findingsForbidden': {
    'zh-CN': '{who:party}无权查看或办理{department:department}的问题',
    en: "{who:party} may not see or handle {department:department}'s findings",
  },
  'auth.planFindingsForbidden': {
    'zh-CN': '{who:party}不是该联合抽查计划的牵头部门，无权查看各部门在其检查中发现的问题（谁主管谁牵头）',
    en: "{who:party} does not lead the joint plan and may not see the departments' findings on its visits",
  },
  'penalty.alreadyRecorded': {
    'zh-CN': '该处罚决定已记录：{department:department}于{decidedOn}作出的{kind:penaltyKind}（{documentNumber}）',
    en: 'this decision is already recorded: {department:department}, {kind:penaltyKind} on {decidedOn} ({documentNumber})',
  },
  'penalty.alreadyPenalised': {
    'zh-CN':
      '该违法行为已受到行政处罚，不能再作出不予行政处罚决定：{department:department}于{decidedOn}作出{kind:penaltyKind}（{documentNumber}）',
    en: 'the conduct was already penalised, so it cannot be closed without a penalty: {department:department}, {kind:penaltyKind} on {decidedOn} ({documentNumber})',
  },
  'penalty.closedWithoutPenalty': {
    'zh-CN': '该违法行为已作出不予行政处罚决定（{department:department}，{decidedOn}，{documentNumber}），不能再予处罚',
    en: 'the conduct was closed without a penalty ({department:department}, {decidedOn}, {documentNumber}): it cannot be penalised now',
  },
  'penalty.secondFine': {
    'zh-CN':
      '同一违法行为不得给予两次以上罚款：已由{department:department}于{decidedOn}作出罚款决定（{documentNumber}）',
    en: 'one conduct is not fined twice: {department:department} already fined it on {decidedOn} ({documentNumber})',
  },
  'penalty.amountRequired': { 'zh-CN': '罚款须写明金额', en: 'a fine needs its amount' },
  'penalty.amountOnlyForFine': { 'zh-CN': '只有罚款才有金额', en: 'only a fine has an amount' },
  'penalty.amountInFen': {
    'zh-CN': '罚款金额以元计，至少 0.01 元，最多两位小数',
    en: 'a fine is in yuan, at least 0.01, with at most two decimals',
  },
  'penalty.notHolder': {
    'zh-CN': '{department:department}既未参与发现该问题的检查，也未承办该问题，不能作出{kind:penaltyKind}决定',
    en: '{department:department} neither took part in the check that found this nor holds it, and may not decide a {kind:penaltyKind} on it',
  },
  'transfer.notPending': {
    'zh-CN': '该移交已答复（{status:transferStatus}）',
    en: 'this transfer was already answered ({status:transferStatus})',
  },
  'transfer.reasonRequired': { 'zh-CN': '退回移交须写明理由', en: 'refusing a transfer needs a reason' },
  'findingHandling.RECTIFICATION': { 'zh-CN': '责令整改', en: 'rectification order' },
  'findingHandling.PENALTY': { 'zh-CN': '立案处罚', en: 'penalty case' },
  'findingHandling.TRANSFER': { 'zh-CN': '移交其他部门', en: 'transfer to another department' },
  'findingHandling.JUDICIAL_TRANSFER': { 'zh-CN': '移送司法', en: 'transfer to the judiciary' },
  'findingHandling.LICENCE_REVOCATION_REQUEST': { 'zh-CN': '提请吊销许可', en: 'licence revocation request' },
  'penaltyKind.WARNING': { 'zh-CN': '警告、通报批评', en: 'warning' },
  'penaltyKind.FINE': { 'zh-CN': '罚款', en: 'fine' },
  'penaltyKind.CONFISCATION': { 'zh-CN': '没收', en: 'confiscation' },
  'penaltyKind.LICENCE_SUSPENSION': { 'zh-CN': '暂扣许可证件、降低资质等级', en: 'licence suspension' },
  'penaltyKind.LICENCE_REVOCATION': { 'zh-CN': '吊销许可证件', en: 'licence revocation' },
  'penaltyKind.BUSINESS_RESTRICTION': { 'zh-CN': '限制生产经营、责令停产停业', en: 'business restriction' },
  'penaltyKind.NO_PENALTY': { 'zh-CN': '不予行政处罚', en: 'no penalty' },
  'transferStatus.PENDING': { 'zh-CN': '待接收', en: 'pending' },
  'transferStatus.ACCEPTED': { 'zh-CN': '已接收', en: 'accepted' },
  'transferStatus.REFUSED': { 'zh-CN': '已退回', en: 'refused' },
  'action.recordCredit': { 'zh-CN': '记录信用信息', en: 'record credit information' },
  // 一业一查: targets, plans and the draw (issue 10; seed 000 §二(二), 001 §二–三, 004 (四)–(六))
  'entity.plan': { 'zh-CN': '联合抽查计划', en: 'joint plan' },
  'when.windowFrom': { 'zh-CN': '检查时段起始日', en: 'windowFrom' },
  'action.tagTargets': { 'zh-CN': '标注检查对象', en: 'tag targets' },
  'action.draftPlans': { 'zh-CN': '编制联合抽查计划', en: 'draft joint plans' },
  'action.filePlans': { 'zh-CN': '联合抽查计划备案', en: 'file joint plans' },
  'action.publishPlans': { 'zh-CN': '公布联合抽查计划', en: 'publish joint plans' },
  'action.adjustPlans': { 'zh-CN': '调整联合抽查计划', en: 'adjust joint plans' },
  'action.drawPlans': { 'zh-CN': '双随机抽取', en: 'draw plans' },
  'action.observeDraws': { 'zh-CN': '监督双随机抽取', en: 'observe draws' },
  'action.readDrawAudit': { 'zh-CN': '查看抽取审计数据', en: 'read draw audits' },
  'action.readTargets': { 'zh-CN': '查看检查对象名录库', en: 'read the target directory' },
  'action.readCredit': { 'zh-CN': '查看信用风险分类及信用记录', en: 'read credit classes and records' },
  'action.repairCredit': { 'zh-CN': '作出信用修复决定', en: 'decide credit repairs' },
  'action.punishJointly': { 'zh-CN': '作出或解除联合惩戒', en: 'impose or lift joint punishments' },
  'entity.jointPunishment': { 'zh-CN': '联合惩戒', en: 'joint punishment' },
  'jointPunishment.tooLong': {
    'zh-CN': '联合惩戒期限最长三年（严重失信最长公示期），最晚至 {latest}',
    en: 'a joint punishment lasts at most three years (the longest publication of serious dishonesty): until {latest} at the latest',
  },
  'jointPunishment.alreadyImposed': {
    'zh-CN': '决定 {documentNumber} 已对该经营主体实施联合惩戒',
    en: 'decision {documentNumber} already imposes a joint punishment on this business',
  },
  'jointPunishment.alreadyLifted': {
    'zh-CN': '该联合惩戒已于 {liftedOn} 解除（{documentNumber}）',
    en: 'this joint punishment was lifted on {liftedOn} ({documentNumber})',
  },
  'jointPunishment.notInForce': {
    'zh-CN': '该联合惩戒已不在执行期内（期限至 {until}）',
    en: 'this joint punishment is no longer in force (it ran until {until})',
  },
  'creditRepair.tooEarly': {
    'zh-CN': '该信用记录最短公示期为 {months} 个月，{earliest} 起方可修复',
    en: 'this record is published for at least {months} months: it may be repaired from {earliest}',
  },
  'creditRepair.nothingToRepair': {
    'zh-CN': '不予行政处罚决定不是失信记录，无需修复',
    en: 'a decision not to penalise is no dishonesty record: there is nothing to repair',
  },
  'creditRepair.notRepairable': {
    'zh-CN': '{kind:penaltyKind}的行政处罚信息不适用信用修复（不提前停止公示）',
    en: 'a penalty of {kind:penaltyKind} is not repaired (its publication is not cut short)',
  },
  'creditRepair.alreadyRepaired': {
    'zh-CN': '该信用记录已于 {decidedOn} 修复（{documentNumber}）',
    en: 'this record was already repaired on {decidedOn} ({documentNumber})',
  },
  // 进一次门、查多项事 and 赋码检查 (issue 11; services/market domain/visits.ts)
  'entity.visit': { 'zh-CN': '赋码检查', en: 'visit' },
  'entity.inspectionCode': { 'zh-CN': '检查码', en: 'inspection code' },
  'action.codeVisits': { 'zh-CN': '赋码', en: 'code visits' },
  'action.receiveTeams': { 'zh-CN': '接收部门检查组', en: "receive the departments' check teams" },
  'action.receiveCodeRequests': {
    'zh-CN': '接收计划外检查赋码申请',
    en: 'receive code requests for checks outside plans',
  },
  'action.refuseCodeRequests': {
    'zh-CN': '对计划外检查赋码申请不予赋码',
    en: 'refuse code requests for checks outside plans',
  },
  'action.mergeVisits': { 'zh-CN': '合并检查', en: 'merge visits' },
  'action.delegateVisitItems': { 'zh-CN': '互帮代查', en: 'delegate items on a visit' },
  'action.rescheduleVisits': { 'zh-CN': '调整计划检查日期', en: 'reschedule visits' },
  'action.readVisits': { 'zh-CN': '查看赋码检查', en: 'read visits' },
  'visit.notActive': {
    'zh-CN': '检查 {id} 的状态为 {status}，不能再变更',
    en: 'visit {id} is {status}: it can no longer change',
  },
  'visit.mergeSelf': { 'zh-CN': '不能把检查 {id} 合并到它自身', en: 'visit {id} cannot be merged into itself' },
  'visit.mergeOtherBusiness': {
    'zh-CN': '检查 {id} 针对另一经营主体：只能合并同一经营主体的检查',
    en: 'visit {id} is for another business: only visits of the same business merge',
  },
  'visit.mergeWindowsDisjoint': {
    'zh-CN': '检查 {id} 的有效期与其他检查不重叠，不能合并',
    en: "visit {id}'s window does not overlap the others': they cannot be merged",
  },
  'visit.hasResults': {
    'zh-CN': '检查 {id} 已录入检查结果，不能合并',
    en: 'visit {id} has results recorded: it cannot be merged',
  },
  'visit.departmentNotOnVisit': {
    'zh-CN': '{department:department} 不在该检查中',
    en: 'department {department:department} is not on the visit',
  },
  'visit.delegateToSelf': { 'zh-CN': '不能委托给本部门', en: 'a department cannot delegate to itself' },
  'visit.delegateNoTeam': {
    'zh-CN': '{department:department} 在该检查中没有检查组，不能代查',
    en: 'department {department:department} has no check team on the visit to check for others',
  },
  'visit.delegateRecorded': {
    'zh-CN': '{department:department} 已在该检查中录入结果，不能再委托',
    en: 'department {department:department} already recorded results on the visit: it can no longer delegate',
  },
  'visit.plannedOnOutsideWindow': {
    'zh-CN': '计划检查日期应在 {from} 至 {to} 之间',
    en: 'the planned date must lie between {from} and {to}',
  },
  'visit.plannedOnPast': {
    'zh-CN': '计划检查日期不能早于今天（{today}）',
    en: 'the planned date cannot be before today ({today})',
  },
  'business.unknown': { 'zh-CN': '未登记的经营主体 {uscc}', en: 'no registered business {uscc}' },
  'plan.windowOutsideYear': {
    'zh-CN': '检查时段须在计划年度（{year}年）内开始',
    en: 'the window must start in the plan year ({year})',
  },
  'plan.notLead': {
    'zh-CN': '计划由牵头部门（{department:department}）编制和备案（谁主管谁牵头）',
    en: 'the lead department ({department:department}) drafts and files the plan',
  },
  'plan.noList': {
    'zh-CN': '行业 {industry} 尚无该版本的联合抽查事项清单',
    en: 'industry {industry} has no joint list at that version',
  },
  'plan.itemDepartmentNotInPlan': {
    'zh-CN': '部门 {department:department} 不是本计划的牵头或配合部门',
    en: 'department {department:department} neither leads nor cooperates in this plan',
  },
  'plan.unknownItem': {
    'zh-CN': '事项 {code} 不在联合抽查事项清单第 {version} 版中',
    en: 'item {code} is not on version {version} of the joint list',
  },
  'plan.ratioPrecision': {
    'zh-CN': '抽查比例最多保留四位小数（精确到万分之一）',
    en: 'a ratio has at most 4 decimal places (one in ten thousand)',
  },
  'plan.ratioBelowLowerRisk': {
    'zh-CN': '风险越高抽查比例不得越低：不得低于 {lower} 类的 {ratio}',
    en: 'a higher risk class may not be sampled less: at least class {lower}’s {ratio}',
  },
  'plan.ratioAboveCap': {
    'zh-CN': '仅含一般检查事项的计划，抽查比例不得高于 {cap}',
    en: 'a plan with only general items may not sample above {cap}',
  },
  'plan.windowClosed': {
    'zh-CN': '计划 {id} 的检查时段已于 {windowTo} 结束：请先以“延期”调整检查时段',
    en: 'the window of plan {id} ended on {windowTo}: move it first (a DELAY adjustment)',
  },
  'plan.notInStatus': {
    'zh-CN': '计划 {id} 状态为{status:planStatus}，应为{expected:planStatus}',
    en: 'plan {id} is {status:planStatus}, not {expected:planStatus}',
  },
  'plan.drawnAlready': {
    'zh-CN': '计划 {id} 已抽取，不能再调整事项或比例',
    en: 'plan {id} is drawn: its items and ratios are fixed',
  },
  'draw.poolFrozenAlready': { 'zh-CN': '计划 {id} 的抽取名录已固定', en: "plan {id}'s pool is frozen already" },
  'draw.poolNotFrozen': { 'zh-CN': '计划 {id} 的抽取名录尚未固定', en: "plan {id}'s pool is not frozen yet" },
  'draw.publicValueEntered': {
    'zh-CN': '计划 {id} 的公开随机值已录入',
    en: "plan {id}'s public value is entered already",
  },
  'draw.noPublicValue': { 'zh-CN': '计划 {id} 尚未录入公开随机值', en: 'plan {id} has no public value yet' },
  'draw.drawnAlready': {
    'zh-CN': '计划 {id} 已抽取，每个计划只抽取一次',
    en: 'plan {id} is drawn already: a plan is drawn once',
  },
  'draw.planOrDraw': {
    'zh-CN': '请给出计划编号或抽取编号中的一个',
    en: 'give either a plan id or a draw id, not both',
  },
  'draw.poolChanged': {
    'zh-CN': '计划 {id} 的抽取名录在公布后被改动，拒绝抽取',
    en: "plan {id}'s pool changed after it was published: the draw is refused",
  },
  'draw.ratiosChanged': {
    'zh-CN': '计划 {id} 的抽查比例在名录固定后被改动，拒绝抽取',
    en: "plan {id}'s ratios changed after the pool was frozen: the draw is refused",
  },
  'planStatus.DRAFT': { 'zh-CN': '草拟', en: 'draft' },
  'planStatus.FILED': { 'zh-CN': '已备案', en: 'filed' },
  'planStatus.PUBLISHED': { 'zh-CN': '已公布', en: 'published' },
  'planStatus.DRAWN': { 'zh-CN': '已抽取', en: 'drawn' },
  'planStatus.IN_PROGRESS': { 'zh-CN': '实施中', en: 'in progress' },
  'planStatus.COMPLETED': { 'zh-CN': '已完成', en: 'completed' },
  'planStatus.CANCELLED': { 'zh-CN': '已取消', en: 'cancelled' },
  // 告知承诺 and the pre-approval credit check at the bureau (issue 9 items 5, 6; seed 003 第十二条, 第二十三条)
  'entity.promise': { 'zh-CN': '告知承诺', en: 'promise' },
  'entity.approvalItem': { 'zh-CN': '审批事项', en: 'approval item' },
  'action.setApprovalItems': { 'zh-CN': '配置审批事项', en: 'configure approval items' },
  'action.settlePromises': { 'zh-CN': '办理告知承诺', en: 'settle promises' },
  'action.remindPromises': { 'zh-CN': '提醒补交承诺材料', en: 'remind applicants of promised materials' },
  'action.listPromises': { 'zh-CN': '列出逾期未补交材料的承诺审批', en: 'list approvals whose materials are overdue' },
  'action.receiveCredit': { 'zh-CN': '接收信用风险分类', en: 'receive credit classes' },
  'action.readPromises': { 'zh-CN': '查看告知承诺', en: 'read promises' },
  'action.checkCredit': { 'zh-CN': '查看审批前信用核查', en: 'read the pre-approval credit check' },
  'approvalItem.promiseModeRequired': {
    'zh-CN': '只有实行告知承诺的事项（设定 promiseMode）才有承诺期限',
    en: 'only an item granted on a promise (with a promiseMode) has a promised period',
  },
  'approvalItem.promiseDaysRequired': {
    'zh-CN': '实行告知承诺的事项须设定承诺期限',
    en: 'an item granted on a promise needs its promised period',
  },
  'approvalItem.otherDepartment': {
    'zh-CN': '审批事项“{item}”由 {department:department} 监管',
    en: 'approval item "{item}" is supervised by {department:department}',
  },
  'promise.notOffered': {
    'zh-CN': '审批事项“{item}”未实行告知承诺',
    en: 'approval item "{item}" is not granted on a promise',
  },
  'promise.barred': {
    'zh-CN': '该经营主体有承诺不实记录（“{item}”，{decidedOn}），信用修复前不适用告知承诺',
    en: 'the business has a false promise on record ("{item}", {decidedOn}): no approval on a promise until its credit is repaired',
  },
  'promise.barredByPunishment': {
    'zh-CN': '该经营主体正受联合惩戒（{documentNumber}，至 {until}），限制享受便利措施，不适用告知承诺',
    en: 'the business is under a joint punishment ({documentNumber}, until {until}) that limits facilitation: no approval on a promise',
  },
  'promise.notAwaitingMaterials': {
    'zh-CN': '告知承诺 {id} 状态为{status:promiseStatus}，不在待补交材料状态',
    en: 'promise {id} is {status:promiseStatus}, not waiting for materials',
  },
  'promise.notAwaitingVerification': {
    'zh-CN': '告知承诺 {id} 状态为{status:promiseStatus}，不在待核验状态',
    en: 'promise {id} is {status:promiseStatus}, not waiting for verification',
  },
  'promise.notAnnullable': {
    'zh-CN': '告知承诺 {id} 状态为{status:promiseStatus}：只有逾期未补交材料或承诺不实的审批可以撤销',
    en: 'promise {id} is {status:promiseStatus}: only an approval whose materials are overdue or whose promise was untrue can be annulled',
  },
  'promiseStatus.AWAITING_MATERIALS': { 'zh-CN': '待补交材料', en: 'waiting for materials' },
  'promiseStatus.AWAITING_VERIFICATION': { 'zh-CN': '待核验', en: 'waiting for verification' },
  'promiseStatus.AWAITING_CHECK': { 'zh-CN': '待核查', en: 'waiting for the on-site check' },
  'promiseStatus.RECTIFYING': { 'zh-CN': '限期整改中', en: 'under rectification' },
  'promiseStatus.OVERDUE': { 'zh-CN': '逾期未补交材料', en: 'materials overdue' },
  'promiseStatus.KEPT': { 'zh-CN': '已履行承诺', en: 'kept' },
  'promiseStatus.UNTRUE': { 'zh-CN': '承诺不实', en: 'untrue' },
  'promiseStatus.ANNULLED': { 'zh-CN': '已撤销', en: 'annulled' },
  'promiseStatus.CLOSED': { 'zh-CN': '已终结（许可或经营主体已终止）', en: 'closed (its licence or business ended)' },
  'when.push': { 'zh-CN': '任务推送日', en: 'the day the task was pushed' },
  'when.claim': { 'zh-CN': '任务认领日', en: 'the day the task was claimed' },
  'when.validFrom': { 'zh-CN': '有效期起始日', en: 'validFrom' },
  'when.registration': { 'zh-CN': '经营主体登记日', en: "the business's registration" },
  'when.coding': { 'zh-CN': '检查码赋码日', en: 'the day the inspection code was issued' },
  'when.grant': { 'zh-CN': '许可决定日', en: 'the day the licence was granted' },
  'when.request': { 'zh-CN': '部门函告的决定日', en: "the day of the department's request" },
  'when.approval': { 'zh-CN': '告知承诺审批日', en: 'the day the promise was approved' },
  'when.suspension': { 'zh-CN': '责令停产停业决定日', en: 'the day the suspension was ordered' },
  'when.decision': { 'zh-CN': '惩戒决定日', en: 'the day of the decision' },
  'entity.licenceAct': { 'zh-CN': '监管部门推送信息', en: 'pushed licence act' },
  'action.pushLicenceActs': { 'zh-CN': '推送许可处理决定或函告', en: 'push licence decisions and requests' },
  'action.claimLicenceActs': { 'zh-CN': '认领监管部门推送的信息', en: 'claim pushed licence acts' },
  'action.readLicenceActs': { 'zh-CN': '查看监管部门推送的信息', en: 'read pushed licence acts' },
  'licenceActKind.SUSPEND': { 'zh-CN': '责令停产停业', en: 'suspension' },
  'licenceActKind.REVOKE': { 'zh-CN': '吊销许可证', en: 'revocation' },
  'licenceActKind.CHANGE': { 'zh-CN': '变更', en: 'change' },
  'licenceActKind.WITHDRAW': { 'zh-CN': '撤回', en: 'withdrawal' },
  'licenceActKind.ANNUL': { 'zh-CN': '撤销', en: 'annulment' },
  'licenceActKind.CANCEL': { 'zh-CN': '注销', en: 'cancellation' },
  'licenceActKind.RESUME': { 'zh-CN': '解除责令停产停业', en: 'suspension lifted' },
  'licenceActStatus.PENDING_CLAIM': { 'zh-CN': '待认领', en: 'waiting to be claimed' },
  'licenceActStatus.CLAIMED': { 'zh-CN': '已认领', en: 'claimed' },
  'licenceActStatus.ACCEPTED': { 'zh-CN': '已办理', en: 'accepted' },
  'licenceActStatus.REJECTED': { 'zh-CN': '不予办理', en: 'rejected' },
  'taskStatus.PENDING_CLAIM': { 'zh-CN': '待认领', en: 'waiting to be claimed' },
  'taskStatus.CLAIMED': { 'zh-CN': '已认领', en: 'claimed' },
  'taskStatus.CHECKED': { 'zh-CN': '已检查', en: 'checked' },
  'taskStatus.CLOSED': { 'zh-CN': '已关闭', en: 'closed' },
  'licenceStatus.VALID': { 'zh-CN': '有效', en: 'valid' },
  'licenceStatus.SUSPENDED': { 'zh-CN': '责令停产停业', en: 'suspended' },
  'licenceStatus.REVOKED': { 'zh-CN': '吊销', en: 'revoked' },
  'licenceStatus.WITHDRAWN': { 'zh-CN': '撤回', en: 'withdrawn' },
  'licenceStatus.ANNULLED': { 'zh-CN': '撤销', en: 'annulled' },
  'licenceStatus.CANCELLED': { 'zh-CN': '注销', en: 'cancelled' },
  'licenceStatus.EXPIRED': { 'zh-CN': '有效期届满', en: 'expired' },
  // 告知承诺: department and credit
  'task.promiseKeptRequired': {
    'zh-CN': '事后核查须填写承诺是否属实（promiseKept）',
    en: 'a post-check result must say whether the promise proved true (promiseKept)',
  },
  'task.promiseKeptNotPostCheck': {
    'zh-CN': '该任务不是告知承诺的事后核查，不填写承诺是否属实（promiseKept）',
    en: 'this task is not a post-check of a promise: promiseKept does not apply',
  },
  'task.untruePromiseIsProblem': {
    'zh-CN': '承诺不实即为发现问题：结果应为发现问题，并录入问题及处理方式',
    en: 'an untrue promise is a problem found: the outcome must be PROBLEMS_FOUND, with its finding',
  },
  'action.receiveFalsePromises': { 'zh-CN': '接收承诺失信记录', en: 'receive false promise records' },
  // 一业一查: joint list and guide
  'entity.jointList': { 'zh-CN': '一业一单', en: 'joint list' },
  'entity.jointListItem': { 'zh-CN': '一业一单监管事项', en: 'joint list item' },
  'action.receiveItems': { 'zh-CN': '接收部门监管事项', en: 'receive supervision items' },
  'action.setJointListDepartments': {
    'zh-CN': '设置一业一单牵头和配合部门',
    en: 'set the lead and cooperating departments of a joint list',
  },
  'jointList.noSuchVersion': {
    'zh-CN': '没有第 {version} 版（现行为第 {latest} 版）',
    en: 'there is no version {version} (the newest is {latest})',
  },
  'jointList.departmentTwice': {
    'zh-CN': '{department:department} 已是牵头部门或已列为配合部门',
    en: '{department:department} is already the lead or listed as cooperating',
  },
  // 一业一查: department
  'item.unchanged': {
    'zh-CN': '事项 {code} 没有任何变化，未生成新版本',
    en: 'item {code} is unchanged: no new revision',
  },
  'item.alreadyWithdrawn': { 'zh-CN': '事项 {code} 已撤回', en: 'item {code} is already withdrawn' },
  'item.withdrawnNotRevised': {
    'zh-CN': '事项 {code} 已撤回：请重新发布，而不是修订',
    en: 'item {code} is withdrawn: publish it again instead of revising it',
  },
  'industry.codeFormat': {
    'zh-CN': '应为 GB/T 4754-2017 门类字母或 2 至 4 位数字代码',
    en: 'a GB/T 4754-2017 section letter or a code of 2 to 4 digits',
  },
  'inspector.certificateValidUntilRequired': {
    'zh-CN': '执法人员须填写执法证有效期',
    en: "an inspector's certificate needs its valid-until date",
  },
  'inspector.unchanged': { 'zh-CN': '执法检查人员信息没有任何变化', en: 'the inspector is unchanged' },
  'inspector.alreadyInactive': { 'zh-CN': '该执法检查人员已停用', en: 'the inspector is already inactive' },
  'inspector.conflictDeclared': {
    'zh-CN': '该执法检查人员与经营主体 {uscc} 的回避情形已登记',
    en: "the inspector's conflict with business {uscc} is already declared",
  },
  'task.inspectionOnVisit': {
    'zh-CN': '任务 {id} 为双随机抽查任务：检查结果在赋码检查中录入',
    en: 'task {id} is a drawn inspection: its result is recorded on its coded visit',
  },
  'auth.inspectorDrawForbidden': {
    'zh-CN': '{who:party}无权查看{department:department}的执法人员抽取情况',
    en: "{who:party} may not see {department:department}'s inspector draw",
  },
  'inspectorShortfall.NO_ACTIVE_INSPECTORS': {
    'zh-CN': '名录中在岗的执法人员不足两名',
    en: 'fewer than two active inspectors in the directory',
  },
  'inspectorShortfall.CERTIFICATES_EXPIRED': {
    'zh-CN': '执法证在抽查时段内有效的执法人员不足两名',
    en: 'fewer than two inspectors whose certificate is valid through the window',
  },
  'inspectorShortfall.NO_QUALIFIED_INSPECTORS': {
    'zh-CN': '具备全部检查事项执法资格的执法人员不足两名',
    en: 'fewer than two inspectors qualified for all the items',
  },
  'inspectorShortfall.ALL_CONFLICTED': {
    'zh-CN': '除须回避的人员外，可派执法人员不足两名',
    en: 'fewer than two inspectors without a declared conflict with the business',
  },
  'taskKind.LICENCE': { 'zh-CN': '审管联动', en: 'licence supervision' },
  'taskKind.INSPECTION': { 'zh-CN': '双随机抽查', en: 'random inspection' },
  'entity.inspectorDraw': { 'zh-CN': '执法人员抽取', en: 'inspector draw' },
  'entity.inspectorConflict': { 'zh-CN': '回避情形', en: 'conflict of interest' },
  'action.reviseItems': { 'zh-CN': '修订监管事项', en: 'revise supervision items' },
  'action.updateInspectors': { 'zh-CN': '修改执法检查人员信息', en: 'update inspectors' },
  'action.deactivateInspectors': { 'zh-CN': '停用执法检查人员', en: 'deactivate inspectors' },
  'action.declareConflicts': { 'zh-CN': '登记回避情形', en: 'declare conflicts of interest' },
  'action.receiveDraws': { 'zh-CN': '接收双随机抽取结果并抽取执法人员', en: 'receive draws and draw inspectors' },
  'action.receivePlans': { 'zh-CN': '接收联合抽查计划', en: 'receive joint plans' },
  'action.readInspectorDraws': { 'zh-CN': '查看执法人员抽取情况', en: 'read inspector draws' },
  // 赋码检查 in the departments (issue 11; services/department domain/visit-codes.ts, code-requests.ts, inspection-results.ts)
  'entity.visitCode': { 'zh-CN': '检查码副本', en: "the department's copy of an inspection code" },
  'entity.codeRequest': { 'zh-CN': '计划外检查赋码申请', en: 'code request' },
  'entity.inspectionResult': { 'zh-CN': '赋码检查结果', en: 'inspection result' },
  'action.requestCodes': { 'zh-CN': '申请计划外检查赋码', en: 'request codes for checks outside plans' },
  'action.receiveCodes': { 'zh-CN': '接收检查码', en: 'receive inspection codes' },
  'action.receiveCodeRefusals': { 'zh-CN': '接收不予赋码通知', en: "receive the office's refusals to code" },
  // Why the office refused to code a check outside plans (CODE_REFUSAL_REASONS; seed 004 (十二)).
  'codeRefusal.NOT_REGISTERED': {
    'zh-CN': '市场监管部门未登记该经营主体（统一社会信用代码 {uscc}），不予赋码',
    en: 'market regulation has not registered a business with credit code {uscc}: no code is issued',
  },
  'codeRefusal.DEREGISTERED': {
    'zh-CN': '该经营主体（统一社会信用代码 {uscc}）已注销，不予赋码',
    en: 'the business with credit code {uscc} is deregistered: no code is issued',
  },
  'auth.notOnCheckTeam': {
    'zh-CN': '您不在检查码 {code} 的检查组中，无权录入这些事项的结果',
    en: 'you are not on the check team of code {code} and may not record these items',
  },
  'auth.visitCodesForbidden': {
    'zh-CN': '{who:party}无权查看{department:department}的赋码检查',
    en: "{who:party} may not see {department:department}'s coded visits",
  },
  'codeRequest.planReason': {
    'zh-CN': '计划外检查须说明事由（投诉举报、专项行动、重点领域或移送）',
    en: 'a check outside plans names its reason (complaint, special action, key area or referral)',
  },
  'industry.twice': { 'zh-CN': '行业重复', en: 'an industry is given twice' },
  'codeRequest.itemTwice': { 'zh-CN': '检查事项重复', en: 'an item is named twice' },
  'codeRequest.officerTwice': { 'zh-CN': '执法人员重复', en: 'an officer is named twice' },
  'codeRequest.itemNotPublished': {
    'zh-CN': '{itemCode} 不是本部门已发布的监管事项',
    en: "{itemCode} is not one of the department's published items",
  },
  'codeRequest.officerUnknown': {
    'zh-CN': '{inspectorId} 不是本部门名录中在岗的执法人员',
    en: "{inspectorId} is not an active inspector of the department's directory",
  },
  'codeRequest.officerIsExpert': {
    'zh-CN': '{inspectorId} 为专家，不计入执法人员',
    en: '{inspectorId} is an expert and does not count as an officer',
  },
  'codeRequest.certificateEnds': {
    'zh-CN': '{inspectorId} 的执法证在 {date} 前到期',
    en: "{inspectorId}'s certificate ends before {date}",
  },
  'codeRequest.officerUnqualified': {
    'zh-CN': '{inspectorId} 不具备事项 {itemCode} 的执法资格',
    en: '{inspectorId} is not qualified for item {itemCode}',
  },
  'codeRequest.officerConflicted': {
    'zh-CN': '{inspectorId} 与该经营主体存在须回避的情形',
    en: '{inspectorId} declared a conflict of interest with the business',
  },
  'visitCode.notReceived': {
    'zh-CN': '本部门尚未收到检查码 {code}：若刚刚赋码，请稍后重试',
    en: 'the department has not received code {code} yet: if it was just issued, try again shortly',
  },
  'visitCode.merged': {
    'zh-CN': '检查码已因合并检查作废，事项已并入检查 {visitId}（检查码 {code}）',
    en: 'the code was revoked: its visit was merged into visit {visitId} (code {code})',
  },
  'visitCode.cancelled': { 'zh-CN': '检查码 {code} 已撤销', en: 'code {code} was cancelled' },
  'visitCode.expired': {
    'zh-CN': '检查码已于 {validUntil} 到期',
    en: 'the code expired after {validUntil}',
  },
  'visitCode.notYetValid': {
    'zh-CN': '检查码自 {validFrom} 起有效',
    en: 'the code is valid from {validFrom}',
  },
  'visitCode.noItemsOf': {
    'zh-CN': '检查码 {code} 不含{department:department}的检查事项',
    en: 'code {code} carries no items of {department:department}',
  },
  'inspectionResult.categoryTwice': { 'zh-CN': '检查结果类别重复', en: 'a result category is given twice' },
  'inspectionResult.noProblemAlone': {
    'zh-CN': '“未发现问题”不能与其他结果类别同时选择',
    en: 'NO_PROBLEM stands alone',
  },
  'inspectionResult.officerTwice': { 'zh-CN': '执法人员重复', en: 'an officer is named twice' },
  'inspectionResult.officerNotOnTeam': {
    'zh-CN': '{inspectorId} 不在检查码的检查组中',
    en: "{inspectorId} is not on the code's check team",
  },
  'auth.expertRecords': {
    'zh-CN': '专家不是执法人员，不能录入检查码 {code} 的检查结果，请由检查组的执法人员录入',
    en: 'an expert is not an officer and may not record the results of code {code}: an officer of the team records them',
  },
  'inspectionResult.expertNotOfficer': {
    'zh-CN': '{inspectorId} 为专家，不计入执法人员，请列入专家',
    en: '{inspectorId} is an expert: list them under experts, they do not count',
  },
  'inspectionResult.certificateInvalid': {
    'zh-CN': '{inspectorId} 的执法证在检查日 {date} 无效',
    en: "{inspectorId}'s certificate is not valid on the day of the inspection ({date})",
  },
  'inspectionResult.twoOfficers': {
    'zh-CN': '执法人员不得少于两人（《行政处罚法》第四十二条）',
    en: 'at least two officers (行政处罚法 §42)',
  },
  'inspectionResult.itemNotOnCode': {
    'zh-CN': '{itemCode} 不是本部门在该检查码上的事项',
    en: "{itemCode} is not one of the department's items on the code",
  },
  'inspectionResult.itemTwice': { 'zh-CN': '事项 {itemCode} 重复', en: 'item {itemCode} is given twice' },
  'inspectionResult.alreadyRecorded': {
    'zh-CN': '事项 {itemCode} 在本次检查中已录入结果',
    en: 'item {itemCode} is already recorded on this visit',
  },
  'inspectionResult.findingItem': {
    'zh-CN': '问题所属事项 {itemCode} 不在本次录入的事项中',
    en: 'the finding names item {itemCode}, which is not among the items recorded',
  },
  'inspectionResult.findingOnNoProblem': {
    'zh-CN': '所涉事项的检查结果为“未发现问题”，不能登记发现的问题',
    en: 'the items it concerns were found without problems: a finding cannot be recorded on them',
  },
  'inspectionResult.noTask': {
    'zh-CN': '本部门没有检查码 {code} 对应的任务，无法登记问题',
    en: 'the department has no task for code {code}: findings cannot be recorded',
  },
  'inspectionResult.unknownPoint': {
    'zh-CN': '“{point}”不是该事项检查表单中的检查要点',
    en: '"{point}" is not a point of the item\'s check form',
  },
  'inspectionResult.pointTwice': { 'zh-CN': '检查要点“{point}”重复', en: 'point "{point}" is answered twice' },
  'inspectionResult.unknownAnswer': { 'zh-CN': '应为以下之一：{values}', en: 'must be one of: {values}' },

  // ── 一业一查 part 2, the office's side: results received, 经营异常名录, 一公开, measures (issue 11) ──
  'action.receiveVisitResults': { 'zh-CN': '接收联合检查结果', en: 'receive visit results' },
  'action.listAbnormal': { 'zh-CN': '列入经营异常名录', en: 'put businesses on the abnormal operations list' },
  'action.publishResults': { 'zh-CN': '公示检查结果', en: 'publish inspection results' },
  'action.readPublicationDeadlines': { 'zh-CN': '查看检查结果公示期限', en: 'read publication deadlines' },
  'action.readMeasures': { 'zh-CN': '查看综合监管评价指标', en: 'read supervision measures' },
  'publication.planNotDrawn': {
    'zh-CN': '计划 {id} 尚未抽取，没有检查任务',
    en: 'plan {id} has not been drawn: it has no inspection tasks',
  },
  'publication.departmentNotInPlan': {
    'zh-CN': '{department:department} 不是该计划的部门',
    en: '{department:department} is not a department of this plan',
  },
  'publication.taskNotComplete': {
    'zh-CN': '检查任务尚未完成（已录入 {recorded}/{visits} 户，检查时段至 {windowTo}），不能公示',
    en: 'the inspection task is not complete ({recorded} of {visits} visits recorded, window until {windowTo}): nothing to publish yet',
  },
  'publication.publishedAlready': {
    'zh-CN': '已于 {publishedAt} 公示，不能重复公示',
    en: 'already published at {publishedAt}: a publication is made once',
  },
  'publication.visitInPlan': {
    'zh-CN': '该检查属于联合抽查计划，按计划的检查任务公示（publishInspectionResults）',
    en: 'this visit belongs to a joint plan: publish its inspection task (publishInspectionResults)',
  },
  'publication.departmentNotOnVisit': {
    'zh-CN': '{department:department} 不在此次检查中',
    en: '{department:department} has no part in this visit',
  },
  'publication.visitNotRecorded': {
    'zh-CN': '{department:department} 在此次检查中的检查结果尚未全部录入，不能公示',
    en: "{department:department}'s results on this visit are not all recorded: nothing to publish yet",
  },
} as const satisfies Record<string, { 'zh-CN': string; en: string }>;

export type MessageKey = keyof typeof catalogue;
