/**
 * Words a question is made of that say nothing about which memory answers it: articles,
 * pronouns, auxiliaries, question words, and the words of time expressions (the time goes to the
 * time constraint, not to the keywords).
 */
export const stopwords: ReadonlySet<string> = new Set(
  (
    'a an the and or but nor so of to in on at by for from with without about into onto over under ' +
    'up down out off as than then too very just also only ever never not no yes ' +
    'i me my mine myself we us our ours you your yours he him his she her hers it its they them their ' +
    'this that these those there here what which who whom whose when where why how ' +
    'is am are was were be been being do does did done doing have has had having ' +
    'can could will would shall should may might must ' +
    'get got go going s t d ll m re ve don didn doesn isn wasn aren weren haven hasn hadn won wouldn ' +
    'any some all each every much many more most other such own same ' +
    'tell remind know recall remember say said ' +
    'last next this past previous recent recently lately ago before after since until till during ' +
    'between around early late mid middle beginning start end first second half ' +
    'time times today yesterday tonight tomorrow morning afternoon evening night ' +
    'day days week weeks weekend weekends month months year years ' +
    'spring summer fall autumn winter ' +
    'monday tuesday wednesday thursday friday saturday sunday ' +
    'january february march april june july august september october november december ' +
    'jan feb mar apr jun jul aug sep sept oct nov dec ' +
    'one two three four five six seven eight nine ten eleven twelve couple few several'
  ).split(/\s+/),
);
