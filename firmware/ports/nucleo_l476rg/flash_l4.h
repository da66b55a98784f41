/* STM32L4 flash programming (RM0351 3.3.6-3.3.7): page erase in bank 2 and 64-bit
 * double-word programming with read-back verify. Bank 2 can be programmed while the code runs
 * from bank 1 (read-while-write), so nothing has to execute from RAM. */
#ifndef FW_FLASH_L4_H
#define FW_FLASH_L4_H
#include <stdbool.h>
#include <stdint.h>

bool flash_erase_bank2_page(uint32_t page); /* page 0..255 of bank 2 */
/* addr 8-byte aligned; fails if the double word is not erased or reads back differently. */
bool flash_program_dword(uint32_t addr, const uint8_t bytes[8]);
#endif
