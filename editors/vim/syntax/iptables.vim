" Vim syntax file for iptables-save rulesets (what iptables-restore reads), from kvmnet.
" Tables, chain declarations with policy and counters, commands with their chain, options,
" "!", targets after -j/-g, addresses, quoted text and comments. Diagnostics come from the
" language server; this only colours.
if exists('b:current_syntax')
  finish
endif

syn match iptablesComment /^#.*$/ contains=iptablesDirective,@Spell
syn match iptablesDirective /kvmnet-disable-next-line\>.*/ contained
syn match iptablesTable /^\*\S*/
syn match iptablesCommit /^COMMIT\>/

syn match iptablesChainDecl /^:\S\+/ nextgroup=iptablesPolicy skipwhite
syn match iptablesPolicy /\S\+/ contained nextgroup=iptablesCounters skipwhite
syn match iptablesCounters /\[\d\+:\d\+\]/

" Numbers and addresses only as whole words or list items (not the 11 of eth0.11, not a time of day).
syn match iptablesNumber /\%(^\|[ \t,]\)\@<=\d\+\%(:\d\+\)\=\%([ \t,]\|$\)\@=/
syn match iptablesNumber /\%(^\|[ \t,]\)\@<=0x\x\+\%(\/0x\x\+\)\=\%([ \t,]\|$\)\@=/
syn match iptablesAddress /\%(^\|[ \t,]\)\@<=\d\{1,3}\%(\.\d\{1,3}\)\{3}\%(\/\d\{1,2}\)\=\%(:\d\+\%(-\d\+\)\=\)\=\%([ \t,]\|$\)\@=/
" IPv6: written in full (eight groups), or shortened with "::" (also at the start: ::1, ::ffff:1.2.3.4).
syn match iptablesAddress /\%(^\|[ \t,\[]\)\@<=\x\{1,4}\%(:\x\{1,4}\)\{7}\%(\/\d\{1,3}\)\=/
syn match iptablesAddress /\%(^\|[ \t,\[]\)\@<=[0-9A-Fa-f:.]*::[0-9A-Fa-f:.]*\%(\/\d\{1,3}\)\=/
syn match iptablesOption /\(^\|\s\)\zs--\=[a-zA-Z][-a-zA-Z0-9]*/
syn match iptablesNegation /\(^\|\s\)\zs!\ze\(\s\|$\)/
" Commands name a chain; -j/-g name a target. Defined after options, so they win at the same place.
syn match iptablesCommand /\(^\|\s\)\zs\(-[AIDRNXFZPE]\|--\(append\|insert\|delete\|replace\|new-chain\|new\|delete-chain\|flush\|zero\|policy\|rename-chain\)\)\ze\s/ nextgroup=iptablesChainRef skipwhite
syn match iptablesChainRef /[^ \t"]\+/ contained
syn match iptablesJump /\(^\|\s\)\zs\(-[jg]\|--jump\|--goto\)\ze\s/ nextgroup=iptablesTarget skipwhite
syn match iptablesTarget /[^ \t"]\+/ contained
syn region iptablesString start=/"/ skip=/\\"/ end=/"/ oneline contains=@Spell

hi def link iptablesComment Comment
hi def link iptablesDirective PreProc
hi def link iptablesTable Structure
hi def link iptablesCommit Structure
hi def link iptablesChainDecl Function
hi def link iptablesPolicy Constant
hi def link iptablesCounters Number
hi def link iptablesNumber Number
hi def link iptablesAddress Number
hi def link iptablesOption Identifier
hi def link iptablesNegation Operator
hi def link iptablesCommand Statement
hi def link iptablesChainRef Function
hi def link iptablesJump Statement
hi def link iptablesTarget Type
hi def link iptablesString String

let b:current_syntax = 'iptables'
